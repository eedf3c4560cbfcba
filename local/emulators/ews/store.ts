import { randomBytes } from 'node:crypto';

/**
 * The mailboxes the EWS emulator serves. Every write gives the item a new ChangeKey and a new
 * place in its folder's change journal, which SyncFolderItems reads; a move gives the item a
 * new ItemId (EWS ids are not immutable: "the item identifier changes when an item is moved",
 * learn.microsoft.com/exchange/client-developer/exchange-web-services/ews-identifiers-in-exchange),
 * so the old folder reports a Delete and the new one a Create.
 */
export interface Folder {
  id: string;
  changeKey: string;
  parentId: string | null;
  displayName: string;
  folderClass: string;
  hidden: boolean;
  distinguished?: string;
}

/** A contact as stored: plain fields, the three indexed collections, extended properties. */
export interface ContactData {
  fields: Record<string, string>;
  emails: Record<string, string>;
  phones: Record<string, string>;
  addresses: Record<string, Record<string, string>>;
  extended: Record<string, string>;
}

export interface Item {
  id: string;
  changeKey: string;
  folderId: string;
  data: ContactData;
  /** Position in the folder's journal of the item's last change. */
  seq: number;
  created: string;
  modified: string;
}

export interface Tombstone {
  id: string;
  folderId: string;
  seq: number;
}

export interface SyncStateRecord {
  folderId: string;
  seq: number;
  /** The items the client was told about (Create answered), so a later change is an Update. */
  known: Set<string>;
}

export interface Mailbox {
  smtp: string;
  user: string;
  domain: string;
  password: string;
  folders: Map<string, Folder>;
  items: Map<string, Item>;
  tombstones: Tombstone[];
  syncStates: Map<string, SyncStateRecord>;
}

export function newId(): string {
  return randomBytes(30).toString('base64');
}

export function newChangeKey(): string {
  return randomBytes(12).toString('base64');
}

export function emptyData(): ContactData {
  return { fields: {}, emails: {}, phones: {}, addresses: {}, extended: {} };
}

export class EwsStore {
  readonly mailboxes = new Map<string, Mailbox>();
  private seq = 0;

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  reset(): void {
    this.mailboxes.clear();
  }

  createMailbox(input: { smtp: string; user: string; domain: string; password: string }): Mailbox {
    const folders = new Map<string, Folder>();
    const add = (f: Omit<Folder, 'id' | 'changeKey'>) => {
      const folder = { ...f, id: newId(), changeKey: newChangeKey() };
      folders.set(folder.id, folder);
      return folder;
    };
    const root = add({
      parentId: null,
      displayName: 'Top of Information Store',
      folderClass: 'IPF.Note',
      hidden: false,
      distinguished: 'msgfolderroot',
    });
    add({
      parentId: root.id,
      displayName: 'Contacts',
      folderClass: 'IPF.Contact',
      hidden: false,
      distinguished: 'contacts',
    });
    add({
      parentId: root.id,
      displayName: 'Deleted Items',
      folderClass: 'IPF.Note',
      hidden: false,
      distinguished: 'deleteditems',
    });
    add({
      parentId: root.id,
      displayName: 'Inbox',
      folderClass: 'IPF.Note',
      hidden: false,
      distinguished: 'inbox',
    });
    // The other well-known mail folders every mailbox has (distinguishedfolderid.md); their mail
    // lives in mail/mail-store.ts.
    for (const [distinguished, displayName] of [
      ['sentitems', 'Sent Items'],
      ['junkemail', 'Junk Email'],
      ['drafts', 'Drafts'],
    ] as const)
      add({ parentId: root.id, displayName, folderClass: 'IPF.Note', hidden: false, distinguished });
    // Outlook's autocomplete cache: a contact folder nobody sees (PR_ATTR_HIDDEN).
    add({
      parentId: root.id,
      displayName: 'Recipient Cache',
      folderClass: 'IPF.Contact.RecipientCache',
      hidden: true,
    });
    const mailbox: Mailbox = {
      ...input,
      folders,
      items: new Map(),
      tombstones: [],
      syncStates: new Map(),
    };
    this.mailboxes.set(input.smtp.toLowerCase(), mailbox);
    return mailbox;
  }

  /** The mailbox a signed-in user reaches: `DOMAIN\user`, the bare user or the UPN / SMTP address. */
  findByLogin(user: string, domain: string): Mailbox | undefined {
    const u = user.toLowerCase();
    const d = domain.toLowerCase();
    for (const mailbox of this.mailboxes.values()) {
      if (mailbox.smtp.toLowerCase() === u && d === '') return mailbox;
      if (mailbox.user.toLowerCase() === u && (d === '' || mailbox.domain.toLowerCase() === d))
        return mailbox;
    }
    return undefined;
  }

  folder(mailbox: Mailbox, idOrName: { id?: string; distinguished?: string }): Folder | undefined {
    if (idOrName.id !== undefined) return mailbox.folders.get(idOrName.id);
    return [...mailbox.folders.values()].find((f) => f.distinguished === idOrName.distinguished);
  }

  addFolder(mailbox: Mailbox, parentId: string, displayName: string, folderClass: string): Folder {
    const folder = {
      id: newId(),
      changeKey: newChangeKey(),
      parentId,
      displayName,
      folderClass,
      hidden: false,
    };
    mailbox.folders.set(folder.id, folder);
    return folder;
  }

  createItem(mailbox: Mailbox, folderId: string, data: ContactData, now: Date): Item {
    const item: Item = {
      id: newId(),
      changeKey: newChangeKey(),
      folderId,
      data,
      seq: this.nextSeq(),
      created: now.toISOString(),
      modified: now.toISOString(),
    };
    mailbox.items.set(item.id, item);
    return item;
  }

  touch(item: Item, now: Date): void {
    item.changeKey = newChangeKey();
    item.seq = this.nextSeq();
    item.modified = now.toISOString();
  }

  deleteItem(mailbox: Mailbox, item: Item): void {
    mailbox.items.delete(item.id);
    mailbox.tombstones.push({ id: item.id, folderId: item.folderId, seq: this.nextSeq() });
  }

  /** A move is a delete in the old folder and a new item, with a new id, in the new one. */
  moveItem(mailbox: Mailbox, item: Item, folderId: string, now: Date): Item {
    this.deleteItem(mailbox, item);
    return this.createItem(mailbox, folderId, item.data, now);
  }
}
