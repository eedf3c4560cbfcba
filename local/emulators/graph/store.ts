import { newChangeKey, newFolderId, newImmutableId, newItemId } from './ids.js';

/**
 * The mailboxes, their contact folders and contacts, in memory. Every write gives the item a
 * new change key and the mailbox's next sequence number; delta tokens only remember a
 * sequence number, and an item leaving a folder leaves a small tombstone there, so delta
 * state stays light.
 *
 * Ids as Outlook has them ("Obtain immutable identifiers for Outlook resources"): every
 * contact has a regular id, which changes whenever the item moves to another folder, and an
 * immutable id, which never changes while it stays in the mailbox. Both find the item.
 * Deletes are Exchange's soft deletes: the contact moves to Deleted Items, which is a mail
 * folder and not a contact folder; only a delete there (or a folder delete) purges it.
 */
export interface StoredContact {
  /** The regular id: a new one after every move. */
  id: string;
  immutableId: string;
  folderId: string;
  seq: number;
  changeKey: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  props: Record<string, unknown>;
  /** Single-value extended properties keyed by `extendedKey(id)`. */
  extended: Map<string, { id: string; value: string }>;
}

export interface Tombstone {
  /** The regular id the item had in this folder. */
  id: string;
  immutableId: string;
  folderId: string;
  seq: number;
  changeKey: string;
}

export interface Folder {
  id: string;
  displayName: string;
  parentFolderId: string;
  /** False for Deleted Items: it holds contacts but is no contact folder. */
  contactFolder: boolean;
}

export interface Mailbox {
  id: string;
  mail: string;
  tenantId: string;
  displayName: string;
  /** Windows time-zone name, as Exchange's mailboxSettings.timeZone has it. */
  timeZone: string;
  rootFolderId: string;
  defaultFolderId: string;
  deletedItemsFolderId: string;
  folders: Map<string, Folder>;
  /** Contact folders deleted so far: their delta answers ErrorSyncFolderNotFound. */
  deletedFolderIds: Set<string>;
  /** Keyed by immutable id. */
  contacts: Map<string, StoredContact>;
  /** Regular id → immutable id. */
  regularIds: Map<string, string>;
  tombstones: Tombstone[];
  seq: number;
  /** Bumped to expire every delta token of the mailbox. */
  syncGeneration: number;
}

export type ChangeType = 'created' | 'updated' | 'deleted';

/** A change as a watcher of `folderId` sees it, under the ids the item had there. */
export interface ChangeEvent {
  type: ChangeType;
  contact: StoredContact;
  folderId: string;
  id: string;
  immutableId: string;
  /** A delete that only moved the item to Deleted Items. */
  soft: boolean;
}

export type ChangeListener = (mailbox: Mailbox, change: ChangeEvent) => void;

/**
 * Property ids as Exchange compares them: the type and the GUID case-insensitively, the
 * `Name` part exactly ("Filtering the string name (Name) in the id of an extended property is
 * case-sensitive", Get singleValueLegacyExtendedProperty).
 */
export function extendedKey(id: string): string {
  const match = id.match(/^(\S+\s+\{[^}]*\}\s+name\s+)(.*)$/i);
  return match?.[1] !== undefined
    ? `${match[1].toLowerCase().replace(/\s+/g, ' ')}${match[2]}`
    : id.toLowerCase();
}

export const DEFAULT_TIME_ZONE = 'W. Europe Standard Time';

export class GraphStore {
  private mailboxesById = new Map<string, Mailbox>();
  private listeners: ChangeListener[] = [];

  constructor(private readonly now: () => Date) {}

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  reset(): void {
    this.mailboxesById.clear();
  }

  createMailbox(input: {
    id: string;
    mail: string;
    tenantId: string;
    displayName: string;
    timeZone?: string | undefined;
  }): Mailbox {
    if (this.find(input.id) || this.find(input.mail)) {
      throw new Error(`mailbox ${input.id} / ${input.mail} already exists`);
    }
    const rootFolderId = newFolderId();
    const defaultFolder: Folder = {
      id: newFolderId(),
      displayName: 'Contacts',
      parentFolderId: rootFolderId,
      contactFolder: true,
    };
    const deletedItems: Folder = {
      id: newFolderId(),
      displayName: 'Deleted Items',
      parentFolderId: rootFolderId,
      contactFolder: false,
    };
    const mailbox: Mailbox = {
      id: input.id,
      mail: input.mail,
      tenantId: input.tenantId,
      displayName: input.displayName,
      timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
      rootFolderId,
      defaultFolderId: defaultFolder.id,
      deletedItemsFolderId: deletedItems.id,
      folders: new Map([
        [defaultFolder.id, defaultFolder],
        [deletedItems.id, deletedItems],
      ]),
      deletedFolderIds: new Set(),
      contacts: new Map(),
      regularIds: new Map(),
      tombstones: [],
      seq: 0,
      syncGeneration: 1,
    };
    this.mailboxesById.set(mailbox.id, mailbox);
    return mailbox;
  }

  all(): Mailbox[] {
    return [...this.mailboxesById.values()];
  }

  /** By id or by UPN/mail (case-insensitive), as Graph addresses `/users/{id | userPrincipalName}`. */
  find(idOrUpn: string): Mailbox | undefined {
    const key = idOrUpn.toLowerCase();
    return this.all().find((m) => m.id.toLowerCase() === key || m.mail.toLowerCase() === key);
  }

  /** A contact folder by id or by the well-known name `contacts` (never Deleted Items). */
  folder(mailbox: Mailbox, idOrAlias: string): Folder | undefined {
    if (idOrAlias.toLowerCase() === 'contacts') return mailbox.folders.get(mailbox.defaultFolderId);
    const folder = mailbox.folders.get(idOrAlias);
    return folder?.contactFolder ? folder : undefined;
  }

  /** Where an Outlook user can put a contact: a contact folder, or Deleted Items (`deleteditems`). */
  destination(mailbox: Mailbox, idOrAlias: string): Folder | undefined {
    if (idOrAlias.toLowerCase() === 'deleteditems') return mailbox.folders.get(mailbox.deletedItemsFolderId);
    return this.folder(mailbox, idOrAlias) ?? mailbox.folders.get(idOrAlias);
  }

  /** A contact by its regular or its immutable id: Exchange resolves both forms on input. */
  contact(mailbox: Mailbox, id: string): StoredContact | undefined {
    return mailbox.contacts.get(id) ?? mailbox.contacts.get(mailbox.regularIds.get(id) ?? '');
  }

  createFolder(mailbox: Mailbox, parentFolderId: string, displayName: string): Folder {
    const folder: Folder = { id: newFolderId(), displayName, parentFolderId, contactFolder: true };
    mailbox.folders.set(folder.id, folder);
    return folder;
  }

  contactsIn(mailbox: Mailbox, folderId: string): StoredContact[] {
    return [...mailbox.contacts.values()].filter((c) => c.folderId === folderId);
  }

  createContact(
    mailbox: Mailbox,
    folderId: string,
    props: Record<string, unknown>,
    extended: { id: string; value: string }[],
  ): StoredContact {
    const at = this.timestamp();
    const contact: StoredContact = {
      id: newItemId(),
      immutableId: newImmutableId(),
      folderId,
      seq: ++mailbox.seq,
      changeKey: newChangeKey(),
      createdDateTime: at,
      lastModifiedDateTime: at,
      props,
      extended: new Map(extended.map((p) => [extendedKey(p.id), p])),
    };
    mailbox.contacts.set(contact.immutableId, contact);
    mailbox.regularIds.set(contact.id, contact.immutableId);
    this.emit(mailbox, 'created', contact, false);
    return contact;
  }

  updateContact(
    mailbox: Mailbox,
    contact: StoredContact,
    props: Record<string, unknown>,
    extended: { id: string; value: string }[],
  ): StoredContact {
    Object.assign(contact.props, props);
    for (const p of extended) contact.extended.set(extendedKey(p.id), p);
    this.touch(mailbox, contact);
    this.emit(mailbox, 'updated', contact, false);
    return contact;
  }

  /**
   * What Outlook does on a drag to another folder: the item leaves a tombstone in the old
   * folder, gets a new regular id (the immutable one stays) and shows as created in the new one.
   */
  moveContact(mailbox: Mailbox, contact: StoredContact, folderId: string): StoredContact {
    if (contact.folderId === folderId) return contact;
    const before = { folderId: contact.folderId, id: contact.id };
    this.leave(mailbox, contact);
    mailbox.regularIds.delete(contact.id);
    contact.id = newItemId();
    mailbox.regularIds.set(contact.id, contact.immutableId);
    contact.folderId = folderId;
    this.touch(mailbox, contact);
    const soft = folderId === mailbox.deletedItemsFolderId;
    this.emitAt(mailbox, { type: 'deleted', contact, ...before, immutableId: contact.immutableId, soft });
    if (!soft) this.emit(mailbox, 'created', contact, false);
    return contact;
  }

  /** A delete by Graph or by the Outlook user: to Deleted Items, or purged if already there. */
  deleteContact(mailbox: Mailbox, contact: StoredContact): void {
    if (contact.folderId === mailbox.deletedItemsFolderId) {
      this.purgeContact(mailbox, contact);
      return;
    }
    this.moveContact(mailbox, contact, mailbox.deletedItemsFolderId);
  }

  /** Gone for good (Recoverable Items is out of a client's reach). */
  purgeContact(mailbox: Mailbox, contact: StoredContact, notify = true): void {
    const inContactFolder = contact.folderId !== mailbox.deletedItemsFolderId;
    if (inContactFolder) this.leave(mailbox, contact);
    mailbox.contacts.delete(contact.immutableId);
    mailbox.regularIds.delete(contact.id);
    if (inContactFolder && notify) this.emit(mailbox, 'deleted', contact, false);
  }

  /** Removes a contact folder with its child folders and every contact in them. */
  deleteFolder(mailbox: Mailbox, folder: Folder): void {
    const doomed = new Set([folder.id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const f of mailbox.folders.values()) {
        if (!doomed.has(f.id) && doomed.has(f.parentFolderId)) {
          doomed.add(f.id);
          grew = true;
        }
      }
    }
    for (const contact of [...mailbox.contacts.values()]) {
      if (doomed.has(contact.folderId)) this.purgeContact(mailbox, contact, false);
    }
    for (const id of doomed) {
      mailbox.folders.delete(id);
      mailbox.deletedFolderIds.add(id);
    }
    mailbox.tombstones = mailbox.tombstones.filter((t) => !doomed.has(t.folderId));
  }

  private leave(mailbox: Mailbox, contact: StoredContact): void {
    mailbox.tombstones.push({
      id: contact.id,
      immutableId: contact.immutableId,
      folderId: contact.folderId,
      seq: ++mailbox.seq,
      changeKey: contact.changeKey,
    });
  }

  private touch(mailbox: Mailbox, contact: StoredContact): void {
    contact.seq = ++mailbox.seq;
    contact.changeKey = newChangeKey();
    contact.lastModifiedDateTime = this.timestamp();
  }

  private timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  private emit(mailbox: Mailbox, type: ChangeType, contact: StoredContact, soft: boolean): void {
    this.emitAt(mailbox, {
      type,
      contact,
      folderId: contact.folderId,
      id: contact.id,
      immutableId: contact.immutableId,
      soft,
    });
  }

  private emitAt(mailbox: Mailbox, change: ChangeEvent): void {
    for (const listener of this.listeners) listener(mailbox, change);
  }
}
