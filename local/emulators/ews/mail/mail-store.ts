import { randomBytes } from 'node:crypto';
import type { EwsStore, Folder, Mailbox, Tombstone } from '../store.js';
import { newChangeKey, newId } from '../store.js';

/**
 * The mail of the EWS emulator's mailboxes, beside their contacts (store.ts): messages in the
 * mail folders (class IPF.Note: inbox, sentitems, deleteditems, junkemail, drafts and the
 * folders a user adds), each write giving a new ChangeKey and a new place in the folder's change
 * journal (the store's sequence, shared with contacts), so SyncFolderItems reads mail as it
 * reads contacts. EWS ids are not immutable: a move gives a new ItemId in the new folder and
 * a Delete in the old one (ews-identifiers-in-exchange.md, "the item identifier changes when
 * an item is moved").
 */
export interface MailAddress {
  name?: string;
  address: string;
}

export interface MessageData {
  /** IPM.Note, IPM.Schedule.Meeting.Request, … (itemclass.md). */
  itemClass: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  sent: string;
  received: string;
  body: { type: 'HTML' | 'Text'; content: string };
  categories: string[];
  headers: { name: string; value: string }[];
  attachments: { name: string; contentType: string; size: number }[];
  isDraft: boolean;
  isRead: boolean;
}

export interface MailItem {
  id: string;
  changeKey: string;
  folderId: string;
  seq: number;
  /** The sequence of the last change of its read flag only (a ReadFlagChange, syncfolderitems). */
  readSeq: number;
  created: string;
  data: MessageData;
}

export interface MailState {
  messages: Map<string, MailItem>;
  tombstones: Tombstone[];
  /** SMTP proxy addresses besides the primary one (`smtp:alias@…`), as AD holds them. */
  aliases: string[];
  displayName: string;
}

const states = new WeakMap<Mailbox, MailState>();

export function mailOf(mailbox: Mailbox): MailState {
  let state = states.get(mailbox);
  if (!state) {
    state = { messages: new Map(), tombstones: [], aliases: [], displayName: mailbox.user };
    states.set(mailbox, state);
  }
  return state;
}

export function isMailFolder(folder: Folder): boolean {
  return folder.folderClass === 'IPF.Note' || folder.folderClass.startsWith('IPF.Note.');
}

/** A folder by its DistinguishedFolderId name or its id; only mail folders. */
export function mailFolder(store: EwsStore, mailbox: Mailbox, idOrName: string): Folder | undefined {
  const folder =
    store.folder(mailbox, { distinguished: idOrName }) ?? store.folder(mailbox, { id: idOrName });
  return folder && isMailFolder(folder) ? folder : undefined;
}

export function newInternetMessageId(domain: string): string {
  return `<${randomBytes(12).toString('hex')}@${domain}>`;
}

/** ConversationId is an opaque base64 id, shared by every message of a thread (conversationid.md). */
export function newConversationId(): string {
  return randomBytes(24).toString('base64');
}

export function putMessage(
  store: EwsStore,
  mailbox: Mailbox,
  folderId: string,
  data: MessageData,
  now: Date,
): MailItem {
  const seq = store.nextSeq();
  const item: MailItem = {
    id: newId(),
    changeKey: newChangeKey(),
    folderId,
    seq,
    readSeq: 0,
    created: now.toISOString(),
    data,
  };
  mailOf(mailbox).messages.set(item.id, item);
  return item;
}

export function touchMessage(store: EwsStore, item: MailItem): void {
  item.changeKey = newChangeKey();
  item.seq = store.nextSeq();
}

export function removeMessage(store: EwsStore, mailbox: Mailbox, item: MailItem): void {
  const state = mailOf(mailbox);
  state.messages.delete(item.id);
  state.tombstones.push({ id: item.id, folderId: item.folderId, seq: store.nextSeq() });
}

/** A move: gone from the old folder, a new item with a new id in the new one. */
export function moveMessage(
  store: EwsStore,
  mailbox: Mailbox,
  item: MailItem,
  folderId: string,
  now: Date,
): MailItem {
  removeMessage(store, mailbox, item);
  return putMessage(store, mailbox, folderId, item.data, now);
}
