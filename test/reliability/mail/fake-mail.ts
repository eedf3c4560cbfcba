import { SyncError } from '../../../shared/errors.js';
import type { MailFolderInfo } from '../../../shared/mail/folders.js';
import type { DeltaEntry, GraphMessage } from '../../../shared/mail/message.js';
import type { ExchangeMail, MailDeltaPage, MessageContent } from '../../../shared/mail-sync/ports.js';
import type { GraphSubscription } from '../../../shared/ports.js';

/**
 * Exchange's mailboxes as the mail sync sees them through the ExchangeMail port, in memory,
 * with the semantics the Graph adapter and emulator give it ("Get incremental changes to
 * messages in a folder"): immutable ids (a move keeps the id), a delta per folder from a
 * deltaLink (the changed messages as they are now, `@removed` for those that left the folder,
 * also for ones created and gone since, which the reader never saw), a round from nothing
 * listing the folder, pages of `pageSize`. Every change calls `onChange` (the notification
 * Graph would send; the model decides whether it arrives, and how often).
 *
 * Faults: `loseNextDeltaPage` makes the next incremental round of a folder drop its first
 * page while its deltaLink still moves on (a page lost between Graph and us).
 */

export const FOLDERS = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  archive: 'Archiv',
  deleteditems: 'Deleted Items',
} as const;
export type FolderId = keyof typeof FOLDERS;
/** What the mail sync syncs by default. */
export const SYNCED: readonly FolderId[] = ['inbox', 'sentitems'];

interface StoredMessage {
  message: GraphMessage;
  folder: FolderId;
  body: string;
}

interface Mailbox {
  address: string;
  messages: Map<string, StoredMessage>;
  /** Per folder: the change log (a message id per change). */
  changes: Map<FolderId, { seq: number; id: string }[]>;
}

export class FakeMailboxes implements ExchangeMail {
  readonly boxes = new Map<string, Mailbox>();
  onChange: (mailbox: string) => void = () => {};
  pageSize = 3;
  /** Folders (`mailbox|folder`) whose next incremental round loses its first page. */
  readonly losePage = new Set<string>();
  requests = 0;
  #seq = 0;
  #ids = 0;
  #subscriptions = new Map<string, GraphSubscription>();

  addMailbox(address: string): void {
    this.boxes.set(address, {
      address,
      messages: new Map(),
      changes: new Map(Object.keys(FOLDERS).map((f) => [f as FolderId, []])),
    });
  }

  /** A copy put into a mailbox's folder (delivery, or the sender's Sent Items). Returns its id. */
  put(address: string, folder: FolderId, message: Omit<GraphMessage, 'id'>, body: string): string {
    const box = this.box(address);
    const id = `AAMk-${address.split('@')[0]}-${++this.#ids}`;
    box.messages.set(id, { message: { ...message, id, parentFolderId: folder }, folder, body });
    this.#changed(box, folder, id);
    return id;
  }

  move(address: string, id: string, to: FolderId): void {
    const box = this.box(address);
    const stored = box.messages.get(id);
    if (!stored || stored.folder === to) return;
    const from = stored.folder;
    stored.folder = to;
    stored.message = { ...stored.message, parentFolderId: to };
    this.#changed(box, from, id);
    this.#changed(box, to, id);
  }

  /** A hard delete (or a soft one past Deleted Items): the message is gone. */
  remove(address: string, id: string): void {
    const box = this.box(address);
    const stored = box.messages.get(id);
    if (!stored) return;
    box.messages.delete(id);
    this.#changed(box, stored.folder, id);
  }

  update(address: string, id: string, change: (m: GraphMessage) => GraphMessage): void {
    const box = this.box(address);
    const stored = box.messages.get(id);
    if (!stored) return;
    stored.message = change(stored.message);
    this.#changed(box, stored.folder, id);
  }

  /** Every copy now in the mailbox, with its folder. */
  copies(address: string): { id: string; folder: FolderId; message: GraphMessage }[] {
    return [...this.box(address).messages].map(([id, s]) => ({ id, folder: s.folder, message: s.message }));
  }

  // ------------------------------------------------------------------ the port

  async ownAddresses(mailbox: string): Promise<string[]> {
    this.requests++;
    return [this.box(mailbox).address];
  }

  async syncedFolders(mailbox: string): Promise<MailFolderInfo[]> {
    this.requests++;
    this.box(mailbox);
    return SYNCED.map((id) => ({ id, parentFolderId: null, displayName: FOLDERS[id] }));
  }

  async *messageDelta(
    mailbox: string,
    folderId: string,
    deltaLink: string | null,
  ): AsyncIterable<MailDeltaPage> {
    const box = this.box(mailbox);
    const folder = folderId as FolderId;
    const log = box.changes.get(folder);
    if (!log) throw new SyncError('notFound', 'ErrorItemNotFound', `no folder ${folderId}`);
    const now = this.#seq;
    let entries: DeltaEntry[];
    if (deltaLink === null) {
      entries = [...box.messages.values()]
        .filter((s) => s.folder === folder)
        .map((s) => ({ kind: 'message', message: structuredClone(s.message) }));
    } else {
      const match = /^fake-delta:(\w+):(\d+)$/.exec(deltaLink);
      if (!match || match[1] !== folder) throw new SyncError('invalid', 'BadDeltaLink', deltaLink);
      const since = Number(match[2]);
      const ids = [...new Set(log.filter((c) => c.seq > since).map((c) => c.id))];
      entries = ids.map((id): DeltaEntry => {
        const stored = box.messages.get(id);
        return stored && stored.folder === folder
          ? { kind: 'message', message: structuredClone(stored.message) }
          : { kind: 'removed', id, reason: 'deleted' };
      });
      const lose = `${mailbox}|${folder}`;
      if (this.losePage.delete(lose)) entries = entries.slice(this.pageSize);
    }
    const link = `fake-delta:${folder}:${now}`;
    if (entries.length === 0) {
      this.requests++;
      yield { entries: [], deltaLink: link, restarted: false };
      return;
    }
    for (let i = 0; i < entries.length; i += this.pageSize) {
      this.requests++;
      const last = i + this.pageSize >= entries.length;
      yield {
        entries: entries.slice(i, i + this.pageSize),
        restarted: false,
        ...(last ? { deltaLink: link } : {}),
      };
    }
  }

  async contents(mailbox: string, ids: readonly string[]) {
    this.requests++;
    const box = this.box(mailbox);
    const found = new Map<string, MessageContent>();
    for (const id of ids) {
      const stored = box.messages.get(id);
      if (stored) found.set(id, { bodyText: stored.body, attachments: [] });
    }
    return found;
  }

  async messages(mailbox: string, ids: readonly string[]): Promise<Map<string, GraphMessage>> {
    this.requests++;
    const box = this.box(mailbox);
    const found = new Map<string, GraphMessage>();
    for (const id of ids) {
      const stored = box.messages.get(id);
      if (stored) found.set(id, structuredClone(stored.message));
    }
    return found;
  }

  async createMessageSubscription(input: {
    mailbox: string;
    notificationUrl: string;
    clientState: string;
    expirationDateTime: string;
  }): Promise<GraphSubscription> {
    const id = `sub-${++this.#ids}`;
    const subscription: GraphSubscription = {
      id,
      resource: `users/${input.mailbox}/messages`,
      expirationDateTime: input.expirationDateTime,
      clientState: input.clientState,
      notificationUrl: input.notificationUrl,
    };
    this.#subscriptions.set(id, subscription);
    return subscription;
  }
  async renewSubscription(id: string, expirationDateTime: string): Promise<GraphSubscription> {
    const current = this.#subscriptions.get(id);
    if (!current) throw new SyncError('notFound', 'ResourceNotFound', id);
    const next = { ...current, expirationDateTime };
    this.#subscriptions.set(id, next);
    return next;
  }
  async getSubscription(id: string): Promise<GraphSubscription | null> {
    return this.#subscriptions.get(id) ?? null;
  }
  async deleteSubscription(id: string): Promise<void> {
    this.#subscriptions.delete(id);
  }

  private box(address: string): Mailbox {
    const box = this.boxes.get(address);
    if (!box) throw new SyncError('mailboxUnavailable', 'MailboxNotEnabledForRESTAPI', address);
    return box;
  }

  #changed(box: Mailbox, folder: FolderId, id: string): void {
    box.changes.get(folder)?.push({ seq: ++this.#seq, id });
    this.onChange(box.address);
  }
}
