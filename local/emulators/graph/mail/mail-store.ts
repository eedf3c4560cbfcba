import { newChangeKey, newFolderId, newItemId } from '../ids.js';
import type { GraphStore, Mailbox } from '../store.js';

/**
 * The mail of the emulator's mailboxes, in memory, beside the contacts of store.ts. State is
 * kept per `Mailbox` object (a WeakMap), so an emulator reset, which replaces the mailboxes,
 * also starts their mail afresh.
 *
 * As for contacts, every change takes the mailbox's next mail sequence number and delta tokens
 * remember sequence numbers only. Ids as Outlook has them ("Obtain immutable identifiers for
 * Outlook resources"): a message's regular id changes whenever it moves to another folder,
 * its immutable id never while it stays in the mailbox; both find it. Folder ids never change
 * ("Container types … do not support immutable ID, but their regular IDs were already constant").
 */

/** learn.microsoft.com/graph/api/resources/mailfolder, "Well-known folder names". */
export const WELL_KNOWN = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  deleteditems: 'Deleted Items',
  junkemail: 'Junk Email',
  drafts: 'Drafts',
  outbox: 'Outbox',
  archive: 'Archive',
  recoverableitemsdeletions: 'Recoverable Items Deletions',
} as const;
export type WellKnownName = keyof typeof WELL_KNOWN;

/** Folders outside the visible tree (the dumpster): not listed, not in mailFolders/delta. */
const HIDDEN: ReadonlySet<WellKnownName> = new Set(['recoverableitemsdeletions']);

export interface MailFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
  wellKnownName: WellKnownName | null;
  isHidden: boolean;
  seq: number;
}

export interface StoredMessage {
  /** The regular id: a new one after every move. */
  id: string;
  immutableId: string;
  folderId: string;
  /** Sequence number of the last change. */
  seq: number;
  /** Sequence number at which it entered its folder (created, delivered or moved in). */
  enteredSeq: number;
  changeKey: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** Every other message property, as Graph names it. */
  props: Record<string, unknown>;
}

export interface MailTombstone {
  id: string;
  immutableId: string;
  folderId: string;
  seq: number;
}

export interface FolderTombstone {
  id: string;
  seq: number;
}

export interface MailState {
  proxyAddresses: string[];
  folders: Map<string, MailFolder>;
  folderTombstones: FolderTombstone[];
  /** Keyed by immutable id. */
  messages: Map<string, StoredMessage>;
  /** Regular id → immutable id. */
  regularIds: Map<string, string>;
  tombstones: MailTombstone[];
  seq: number;
}

const states = new WeakMap<Mailbox, MailState>();
const owners = new WeakMap<MailState, Mailbox>();

/**
 * A change of a message, for the message subscriptions (subscriptions.ts `onMailChange`):
 * created (delivered, received), updated (an edit, a move: its regular id is the new one),
 * deleted (to the dumpster).
 */
export interface MailChange {
  type: 'created' | 'updated' | 'deleted';
  id: string;
  immutableId: string;
  changeKey: string;
  folderId: string;
}
type MailListener = (mailbox: Mailbox, change: MailChange) => void;
const listeners = new Set<MailListener>();

/** Listens to every mailbox's message changes; answers the function that stops listening. */
export function onMailChange(listener: MailListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(state: MailState, message: StoredMessage, type: MailChange['type'], id = message.id): void {
  const mailbox = owners.get(state);
  if (!mailbox) return;
  const change = {
    type,
    id,
    immutableId: message.immutableId,
    changeKey: message.changeKey,
    folderId: message.folderId,
  };
  for (const listener of listeners) listener(mailbox, change);
}

const timestamp = (now: Date) => now.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The mailbox's mail, created on first use with the well-known folders. */
export function mailOf(mailbox: Mailbox): MailState {
  let state = states.get(mailbox);
  if (state) return state;
  state = {
    proxyAddresses: [`SMTP:${mailbox.mail}`],
    folders: new Map(),
    folderTombstones: [],
    messages: new Map(),
    regularIds: new Map(),
    tombstones: [],
    seq: 0,
  };
  // Deleted Items may already exist as the place deleted contacts go (store.ts): one folder.
  const deletedItems = (mailbox as { deletedItemsFolderId?: string }).deletedItemsFolderId;
  for (const [name, displayName] of Object.entries(WELL_KNOWN) as [WellKnownName, string][]) {
    const id = name === 'deleteditems' && deletedItems ? deletedItems : newFolderId();
    state.folders.set(id, {
      id,
      displayName,
      parentFolderId: mailbox.rootFolderId,
      wellKnownName: name,
      isHidden: HIDDEN.has(name),
      seq: ++state.seq,
    });
  }
  states.set(mailbox, state);
  owners.set(state, mailbox);
  return state;
}

/** A folder by id or well-known name (case-insensitive, as Graph accepts `Inbox` and `inbox`). */
export function findFolder(state: MailState, idOrName: string): MailFolder | undefined {
  const name = idOrName.toLowerCase();
  return state.folders.get(idOrName) ?? [...state.folders.values()].find((f) => f.wellKnownName === name);
}

export function wellKnown(state: MailState, name: WellKnownName): MailFolder {
  const folder = findFolder(state, name);
  if (!folder) throw new Error(`well-known folder ${name} missing`);
  return folder;
}

export function findMessage(state: MailState, id: string): StoredMessage | undefined {
  return state.messages.get(id) ?? state.messages.get(state.regularIds.get(id) ?? '');
}

export function messagesIn(state: MailState, folderId: string): StoredMessage[] {
  return [...state.messages.values()].filter((m) => m.folderId === folderId);
}

export function createFolder(state: MailState, parentFolderId: string, displayName: string): MailFolder {
  const folder: MailFolder = {
    id: newFolderId(),
    displayName,
    parentFolderId,
    wellKnownName: null,
    isHidden: false,
    seq: ++state.seq,
  };
  state.folders.set(folder.id, folder);
  return folder;
}

export function addMessage(
  state: MailState,
  folderId: string,
  props: Record<string, unknown>,
  now: Date,
): StoredMessage {
  const seq = ++state.seq;
  const at = timestamp(now);
  const message: StoredMessage = {
    id: newItemId(),
    immutableId: newItemId(),
    folderId,
    seq,
    enteredSeq: seq,
    changeKey: newChangeKey(),
    createdDateTime: at,
    lastModifiedDateTime: at,
    props,
  };
  state.messages.set(message.immutableId, message);
  state.regularIds.set(message.id, message.immutableId);
  emit(state, message, 'created');
  return message;
}

export function updateMessage(
  state: MailState,
  message: StoredMessage,
  props: Record<string, unknown>,
  now: Date,
): void {
  Object.assign(message.props, props);
  message.seq = ++state.seq;
  message.changeKey = newChangeKey();
  message.lastModifiedDateTime = timestamp(now);
  emit(state, message, 'updated');
}

/** Leaves a tombstone in the old folder and gives the message a new regular id. */
export function moveMessage(state: MailState, message: StoredMessage, folderId: string, now: Date): void {
  if (message.folderId === folderId) return;
  const oldId = message.id;
  state.tombstones.push({
    id: message.id,
    immutableId: message.immutableId,
    folderId: message.folderId,
    seq: ++state.seq,
  });
  state.regularIds.delete(message.id);
  message.id = newItemId();
  state.regularIds.set(message.id, message.immutableId);
  message.folderId = folderId;
  message.seq = ++state.seq;
  message.enteredSeq = message.seq;
  message.changeKey = newChangeKey();
  message.lastModifiedDateTime = timestamp(now);
  const dumpster = [...state.folders.values()].find((f) => f.wellKnownName === 'recoverableitemsdeletions');
  if (folderId === dumpster?.id) emit(state, message, 'deleted', oldId);
  else emit(state, message, 'updated');
}

/** The mailbox whose proxyAddresses hold `address` (case-insensitive), across the emulator. */
export function mailboxByAddress(store: GraphStore, address: string): Mailbox | undefined {
  const wanted = `smtp:${address.trim().toLowerCase()}`;
  return store.all().find((m) => mailOf(m).proxyAddresses.some((p) => p.toLowerCase() === wanted));
}
