import { newChangeKey, newFolderId, newItemId } from './ids.js';

/**
 * The mailboxes, their contact folders and contacts, in memory. Every write gives the item a
 * new change key and the mailbox's next sequence number; delta tokens only remember a
 * sequence number, and deletions leave a small tombstone, so delta state stays light.
 */
export interface StoredContact {
  id: string;
  folderId: string;
  seq: number;
  changeKey: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  props: Record<string, unknown>;
  /** Single-value extended properties keyed by lower-cased id. */
  extended: Map<string, { id: string; value: string }>;
}

export interface Tombstone {
  id: string;
  folderId: string;
  seq: number;
  changeKey: string;
}

export interface Folder {
  id: string;
  displayName: string;
  parentFolderId: string;
}

export interface Mailbox {
  id: string;
  mail: string;
  tenantId: string;
  displayName: string;
  rootFolderId: string;
  defaultFolderId: string;
  folders: Map<string, Folder>;
  contacts: Map<string, StoredContact>;
  tombstones: Tombstone[];
  seq: number;
  /** Bumped to expire every delta token of the mailbox. */
  syncGeneration: number;
}

export type ChangeType = 'created' | 'updated' | 'deleted';
export type ChangeListener = (mailbox: Mailbox, changeType: ChangeType, item: StoredContact) => void;

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

  createMailbox(input: { id: string; mail: string; tenantId: string; displayName: string }): Mailbox {
    if (this.find(input.id) || this.find(input.mail)) {
      throw new Error(`mailbox ${input.id} / ${input.mail} already exists`);
    }
    const defaultFolder: Folder = {
      id: newFolderId(),
      displayName: 'Contacts',
      parentFolderId: newFolderId(),
    };
    const mailbox: Mailbox = {
      ...input,
      rootFolderId: defaultFolder.parentFolderId,
      defaultFolderId: defaultFolder.id,
      folders: new Map([[defaultFolder.id, defaultFolder]]),
      contacts: new Map(),
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

  /** A folder by id or by the well-known name `contacts`. */
  folder(mailbox: Mailbox, idOrAlias: string): Folder | undefined {
    if (idOrAlias.toLowerCase() === 'contacts') return mailbox.folders.get(mailbox.defaultFolderId);
    return mailbox.folders.get(idOrAlias);
  }

  createFolder(mailbox: Mailbox, parentFolderId: string, displayName: string): Folder {
    const folder: Folder = { id: newFolderId(), displayName, parentFolderId };
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
      folderId,
      seq: ++mailbox.seq,
      changeKey: newChangeKey(),
      createdDateTime: at,
      lastModifiedDateTime: at,
      props,
      extended: new Map(extended.map((p) => [p.id.toLowerCase(), p])),
    };
    mailbox.contacts.set(contact.id, contact);
    this.emit(mailbox, 'created', contact);
    return contact;
  }

  updateContact(
    mailbox: Mailbox,
    contact: StoredContact,
    props: Record<string, unknown>,
    extended: { id: string; value: string }[],
  ): StoredContact {
    Object.assign(contact.props, props);
    for (const p of extended) contact.extended.set(p.id.toLowerCase(), p);
    contact.seq = ++mailbox.seq;
    contact.changeKey = newChangeKey();
    contact.lastModifiedDateTime = this.timestamp();
    this.emit(mailbox, 'updated', contact);
    return contact;
  }

  deleteContact(mailbox: Mailbox, contact: StoredContact): void {
    mailbox.contacts.delete(contact.id);
    mailbox.tombstones.push({
      id: contact.id,
      folderId: contact.folderId,
      seq: ++mailbox.seq,
      changeKey: contact.changeKey,
    });
    this.emit(mailbox, 'deleted', contact);
  }

  private timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  private emit(mailbox: Mailbox, changeType: ChangeType, item: StoredContact): void {
    for (const listener of this.listeners) listener(mailbox, changeType, item);
  }
}
