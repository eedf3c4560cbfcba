import { type ExchangeContact, type ExchangeFields, toGraphBody } from '../../shared/contact/index.js';
import { SyncError } from '../../shared/errors.js';
import type {
  Clock,
  ContactFolder,
  ContactSubscriptions,
  DeltaPage,
  ExchangeContacts,
  ExchangeDeleteOptions,
  GraphSubscription,
} from '../../shared/ports.js';
import { copy } from './etags.js';
import { FakeMailbox, opaqueId, type StoredContact } from './exchange-mailbox.js';
import { FaultHooks } from './fault-hooks.js';

export type ExchangeMethod = Exclude<keyof ExchangeContacts, 'subscriptions'> | keyof ContactSubscriptions;
export const EXCHANGE_WRITES = ['create', 'update', 'delete'] as const satisfies readonly ExchangeMethod[];

/** A change as Graph would notify it (for the sync's own writes too, as Graph does). */
export interface ExchangeChange {
  mailbox: string;
  changeType: 'created' | 'updated' | 'deleted';
  id: string;
}

/** Graph caps Outlook contact subscriptions at 10,080 minutes. */
const MAX_SUBSCRIPTION_MS = 10_080 * 60_000;

/**
 * The ExchangeContacts port in memory, with Graph's semantics as the emulator implements them:
 * opaque ids, a new changeKey on every write, Exchange's limits (400 → `invalid`), a stale
 * changeKey → `conflict`, delta per folder with `removedIds` and expiring links (a restarted
 * round), the ownership marker, subscriptions. `hooks` counts calls and injects faults; the
 * `user*` methods change the mailbox as a person in Outlook would.
 *
 * `kind: 'ews'` gives EWS's shape of the same mailbox instead: no subscriptions (the account
 * is polled), and every delta page reports creates, updates and deletes in the order they
 * happened with a `resumeCursor` after it (a SyncState per SyncFolderItems answer).
 */
export class FakeExchangeContacts implements ExchangeContacts, ContactSubscriptions {
  readonly hooks = new FaultHooks<ExchangeMethod>();
  /** The subscriptions Graph holds, by id. */
  readonly subscriptionsById = new Map<string, GraphSubscription>();
  private readonly mailboxes = new Map<string, FakeMailbox>();
  private readonly listeners: ((change: ExchangeChange) => void)[] = [];
  /** Each mailbox's Deleted Items: what a soft delete (the user's or the sync's) left there. */
  private readonly trash = new Map<string, StoredContact[]>();

  constructor(
    private readonly clock: Clock,
    private readonly pageSize = 5,
    readonly kind: 'graph' | 'ews' = 'graph',
  ) {}

  get subscriptions(): ContactSubscriptions | undefined {
    return this.kind === 'graph' ? this : undefined;
  }

  // ------------------------------------------------------------------ the port

  async listFolders(mailbox: string): Promise<ContactFolder[]> {
    await this.hooks.gate('listFolders');
    this.hooks.enter('listFolders');
    const box = this.mailbox(mailbox);
    return [...box.folders.values()].filter((f) => f.id !== box.defaultFolderId).map(copy);
  }

  async defaultFolderId(mailbox: string): Promise<string> {
    await this.hooks.gate('defaultFolderId');
    this.hooks.enter('defaultFolderId');
    return this.mailbox(mailbox).defaultFolderId;
  }

  async *delta(mailbox: string, folderId: string, deltaLink: string | null): AsyncIterable<DeltaPage> {
    await this.hooks.gate('delta');
    this.hooks.enter('delta');
    const box = this.mailbox(mailbox);
    if (!box.folders.has(folderId))
      throw new SyncError('notFound', 'ErrorSyncFolderNotFound', `folder ${folderId} not found`, {
        status: 404,
      });
    const token = deltaLink === null ? null : parseDeltaLink(deltaLink, mailbox, folderId);
    const restarted = token !== null && token.generation !== box.generation;
    const since = token === null || restarted ? 0 : token.seq;
    const upTo = box.seq;
    const upserts = [...box.contacts.values()]
      .filter((c) => c.folderId === folderId && c.seq > since)
      .sort((a, b) => a.seq - b.seq)
      .map((c) => box.view(c));
    const seen = new Set(upserts.map((c) => c.id));
    // A full round (no link, or an expired one) reports no removals, as Graph's initial round.
    const removedIds =
      token === null || restarted
        ? []
        : [
            ...new Set(
              box.tombstones.filter((t) => t.folderId === folderId && t.seq > since).map((t) => t.id),
            ),
          ].filter((id) => !seen.has(id));
    if (this.kind === 'ews') {
      yield* this.ewsPages(mailbox, folderId, box, since, restarted, token === null || restarted);
      return;
    }
    const pages = Math.max(1, Math.ceil(upserts.length / this.pageSize));
    for (let page = 0; page < pages; page++) {
      if (page > 0) this.hooks.enter('delta'); // each page is one request
      const last = page === pages - 1;
      yield {
        upserts: upserts.slice(page * this.pageSize, (page + 1) * this.pageSize),
        removedIds: last ? removedIds : [],
        ...(last ? { deltaLink: `fakedelta:${mailbox}|${folderId}|${box.generation}|${upTo}` } : {}),
        restarted,
      };
    }
  }

  /** SyncFolderItems' shape: changes in order, a cursor after every page. */
  private *ewsPages(
    mailbox: string,
    folderId: string,
    box: FakeMailbox,
    since: number,
    restarted: boolean,
    full: boolean,
  ): Generator<DeltaPage> {
    const upserts = [...box.contacts.values()].filter((c) => c.folderId === folderId && c.seq > since);
    const seen = new Set(upserts.map((c) => c.id));
    const removed = new Map<string, number>();
    if (!full)
      for (const t of box.tombstones)
        if (t.folderId === folderId && t.seq > since && !seen.has(t.id)) removed.set(t.id, t.seq);
    const changes = [
      ...upserts.map((c) => ({ seq: c.seq, upsert: c, id: c.id })),
      ...[...removed].map(([id, seq]) => ({ seq, upsert: null, id })),
    ].sort((a, b) => a.seq - b.seq);
    const upTo = box.seq;
    const pages = Math.max(1, Math.ceil(changes.length / this.pageSize));
    for (let page = 0; page < pages; page++) {
      if (page > 0) this.hooks.enter('delta');
      const slice = changes.slice(page * this.pageSize, (page + 1) * this.pageSize);
      const last = page === pages - 1;
      const cursor = `fakedelta:${mailbox}|${folderId}|${box.generation}|${last ? upTo : (slice.at(-1)?.seq ?? upTo)}`;
      yield {
        upserts: slice.flatMap((c) => (c.upsert ? [box.view(c.upsert)] : [])),
        removedIds: slice.filter((c) => c.upsert === null).map((c) => c.id),
        resumeCursor: cursor,
        ...(last ? { deltaLink: cursor } : {}),
        restarted,
      };
    }
  }

  async get(mailbox: string, id: string): Promise<ExchangeContact | null> {
    await this.hooks.gate('get');
    this.hooks.enter('get');
    const box = this.mailbox(mailbox);
    const contact = box.contacts.get(id);
    return contact ? box.view(contact) : null;
  }

  async create(mailbox: string, folderId: string, fields: ExchangeFields, linkId: string) {
    await this.hooks.gate('create');
    this.hooks.enter('create');
    const box = this.mailbox(mailbox);
    box.folder(folderId);
    const contact = box.write(null, folderId, toGraphBody(fields), this.timestamp());
    contact.linkId = linkId;
    this.emit(mailbox, 'created', contact);
    this.hooks.afterWrite('create');
    return box.view(contact);
  }

  async update(mailbox: string, id: string, fields: Partial<ExchangeFields>, changeKey?: string) {
    await this.hooks.gate('update');
    this.hooks.enter('update');
    const box = this.mailbox(mailbox);
    const contact = box.contact(id);
    if (changeKey !== undefined && changeKey !== contact.changeKey)
      throw new SyncError('conflict', 'ErrorIrresolvableConflict', `contact ${id} changed meanwhile`, {
        status: 412,
      });
    box.write(contact, contact.folderId, toGraphBody(fields), this.timestamp());
    this.emit(mailbox, 'updated', contact);
    this.hooks.afterWrite('update');
    return box.view(contact);
  }

  /**
   * Into Deleted Items, as Graph's DELETE (the user may restore it: `deletedItems`,
   * `userRestore`); `permanent` purges it, as Graph's permanentDelete, past Deleted Items.
   */
  async delete(
    mailbox: string,
    id: string,
    changeKey?: string,
    options?: ExchangeDeleteOptions,
  ): Promise<void> {
    await this.hooks.gate('delete');
    this.hooks.enter('delete');
    const box = this.mailbox(mailbox);
    const contact = box.contacts.get(id);
    if (!contact) return;
    // If-Match: an edit made since the caller's read wins over the delete.
    if (changeKey !== undefined && changeKey !== contact.changeKey)
      throw new SyncError('conflict', 'ErrorIrresolvableConflict', `contact ${id} changed meanwhile`, {
        status: 412,
      });
    box.remove(contact);
    if (options?.permanent !== true) this.toDeletedItems(mailbox, contact);
    this.emit(mailbox, 'deleted', contact);
    this.hooks.afterWrite('delete');
  }

  async findByLinkId(mailbox: string, linkId: string): Promise<ExchangeContact | null> {
    await this.hooks.gate('findByLinkId');
    this.hooks.enter('findByLinkId');
    const box = this.mailbox(mailbox);
    const found = [...box.contacts.values()].find((c) => c.linkId === linkId);
    return found ? box.view(found) : null;
  }

  async createSubscription(input: Parameters<ContactSubscriptions['createSubscription']>[0]) {
    await this.hooks.gate('createSubscription');
    this.hooks.enter('createSubscription');
    this.mailbox(input.mailbox);
    this.checkExpiry(input.expirationDateTime);
    const subscription: GraphSubscription = {
      id: opaqueId('sub-'),
      resource: `/users/${input.mailbox}/contacts`,
      expirationDateTime: input.expirationDateTime,
      clientState: input.clientState,
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.lifecycleNotificationUrl,
    };
    this.subscriptionsById.set(subscription.id, subscription);
    return copy(subscription);
  }

  async renewSubscription(id: string, expirationDateTime: string) {
    await this.hooks.gate('renewSubscription');
    this.hooks.enter('renewSubscription');
    const subscription = this.subscriptionsById.get(id);
    if (!subscription) throw new SyncError('notFound', 'ResourceNotFound', `subscription ${id} not found`);
    this.checkExpiry(expirationDateTime);
    subscription.expirationDateTime = expirationDateTime;
    return copy(subscription);
  }

  /** Counts the calls, so tests can see a lifecycle event was answered. */
  readonly reauthorized: string[] = [];

  async reauthorizeSubscription(id: string): Promise<void> {
    await this.hooks.gate('reauthorizeSubscription');
    this.hooks.enter('reauthorizeSubscription');
    if (!this.subscriptionsById.has(id))
      throw new SyncError('notFound', 'ResourceNotFound', `subscription ${id} not found`);
    this.reauthorized.push(id);
  }

  async getSubscription(id: string): Promise<GraphSubscription | null> {
    await this.hooks.gate('getSubscription');
    this.hooks.enter('getSubscription');
    return this.subscriptionsById.get(id) ?? null;
  }

  async deleteSubscription(id: string): Promise<void> {
    await this.hooks.gate('deleteSubscription');
    this.hooks.enter('deleteSubscription');
    if (!this.subscriptionsById.delete(id))
      throw new SyncError('notFound', 'ResourceNotFound', `subscription ${id} not found`);
  }

  // ------------------------------------------------------------------ the test's side

  addMailbox(id: string): FakeMailbox {
    const box = new FakeMailbox(id);
    this.mailboxes.set(id.toLowerCase(), box);
    return box;
  }

  addFolder(mailbox: string, displayName: string): string {
    const id = opaqueId('AAMkFolder-');
    this.mailbox(mailbox).folders.set(id, { id, displayName });
    return id;
  }

  /** The ownership marker a contact carries (null for contacts made in Outlook). */
  markerOf(mailbox: string, id: string): string | null {
    return this.mailbox(mailbox).contact(id).linkId;
  }

  /** Every contact folder of the mailbox, the default one first. */
  folderIds(mailbox: string): string[] {
    return [...this.mailbox(mailbox).folders.keys()];
  }

  defaultFolderOf(mailbox: string): string {
    return this.mailbox(mailbox).defaultFolderId;
  }

  onChange(listener: (change: ExchangeChange) => void): void {
    this.listeners.push(listener);
  }

  /** Every contact of the mailbox, as Graph serves it. */
  all(mailbox: string): ExchangeContact[] {
    const box = this.mailbox(mailbox);
    return [...box.contacts.values()].map((c) => box.view(c));
  }

  /** Expires every delta link of the mailbox: the next round restarts. */
  expireDeltaLinks(mailbox: string): void {
    this.mailbox(mailbox).generation += 1;
  }

  /** A person creates a contact in Outlook (a Graph body: unmapped properties allowed). */
  userCreate(mailbox: string, body: Record<string, unknown>, folderId?: string): ExchangeContact {
    const box = this.mailbox(mailbox);
    const contact = box.write(null, folderId ?? box.defaultFolderId, body, this.timestamp());
    this.emit(mailbox, 'created', contact);
    return box.view(contact);
  }

  userUpdate(mailbox: string, id: string, body: Record<string, unknown>): ExchangeContact {
    const box = this.mailbox(mailbox);
    const contact = box.write(box.contact(id), box.contact(id).folderId, body, this.timestamp());
    this.emit(mailbox, 'updated', contact);
    return box.view(contact);
  }

  userDelete(mailbox: string, id: string): void {
    const box = this.mailbox(mailbox);
    const contact = box.contact(id);
    box.remove(contact);
    this.emit(mailbox, 'deleted', contact);
  }

  /** A person moves a contact to another folder; returns its id after the move. */
  userMove(mailbox: string, id: string, folderId: string): string {
    const box = this.mailbox(mailbox);
    const contact = box.move(box.contact(id), folderId, this.timestamp());
    if (contact.id !== id) {
      this.emit(mailbox, 'deleted', { ...contact, id });
      this.emit(mailbox, 'created', contact);
    } else this.emit(mailbox, 'updated', contact);
    return contact.id;
  }

  /** How the mailbox hands out ids on a move: kept (immutable ids) or new. */
  setImmutableIds(mailbox: string, immutable: boolean): void {
    this.mailbox(mailbox).immutableIds = immutable;
  }

  /** A person deletes a contact into Deleted Items (a soft delete): it leaves every contact folder. */
  userSoftDelete(mailbox: string, id: string): StoredContact {
    const box = this.mailbox(mailbox);
    const contact = box.contact(id);
    box.remove(contact);
    this.emit(mailbox, 'deleted', contact);
    return this.toDeletedItems(mailbox, contact);
  }

  /** What the mailbox's Deleted Items holds, oldest first (the user's and the sync's soft deletes). */
  deletedItems(mailbox: string): StoredContact[] {
    return (this.trash.get(mailbox.toLowerCase()) ?? []).map((c) => ({ ...c, props: copy(c.props) }));
  }

  /**
   * A person restores a soft-deleted contact into a contact folder: a new item (a new id
   * without immutable ids, the old one with them), the ownership marker kept.
   */
  userRestore(mailbox: string, deleted: StoredContact, folderId?: string): string {
    const box = this.mailbox(mailbox);
    const bin = this.trash.get(mailbox.toLowerCase()) ?? [];
    const index = bin.findIndex((c) => c.id === deleted.id);
    if (index >= 0) bin.splice(index, 1);
    const target = folderId ?? (box.folders.has(deleted.folderId) ? deleted.folderId : box.defaultFolderId);
    const contact = box.write(null, target, deleted.props, this.timestamp());
    if (box.immutableIds && !box.contacts.has(deleted.id)) {
      box.contacts.delete(contact.id);
      contact.id = deleted.id;
      box.contacts.set(contact.id, contact);
    }
    contact.linkId = deleted.linkId;
    this.emit(mailbox, 'created', contact);
    return contact.id;
  }

  /** A person deletes a whole contact folder. */
  userDeleteFolder(mailbox: string, folderId: string): void {
    this.mailbox(mailbox).removeFolder(folderId);
    this.emit(mailbox, 'deleted', { id: folderId } as StoredContact);
  }

  /** Microsoft removes a subscription (expiry, or an admin). */
  dropSubscription(id: string): void {
    this.subscriptionsById.delete(id);
  }

  // ------------------------------------------------------------------ helpers

  private mailbox(id: string): FakeMailbox {
    const box = this.mailboxes.get(id.toLowerCase());
    if (!box)
      throw new SyncError('notFound', 'ErrorInvalidUser', `mailbox ${id} does not exist`, { status: 404 });
    return box;
  }

  private toDeletedItems(mailbox: string, contact: StoredContact): StoredContact {
    const key = mailbox.toLowerCase();
    const kept = { ...contact, props: copy(contact.props) };
    this.trash.set(key, [...(this.trash.get(key) ?? []), kept]);
    return { ...kept, props: copy(kept.props) };
  }

  private checkExpiry(expirationDateTime: string): void {
    const ms = Date.parse(expirationDateTime) - this.clock.now().getTime();
    if (!(ms > 0 && ms <= MAX_SUBSCRIPTION_MS))
      throw new SyncError('invalid', 'InvalidRequest', 'expirationDateTime out of range', { status: 400 });
  }

  /** Graph serves lastModifiedDateTime to the second. */
  private timestamp(): string {
    return this.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  private emit(mailbox: string, changeType: ExchangeChange['changeType'], contact: StoredContact): void {
    for (const listener of this.listeners) listener({ mailbox, changeType, id: contact.id });
  }
}

function parseDeltaLink(
  link: string,
  mailbox: string,
  folderId: string,
): { generation: number; seq: number } {
  const match = link.match(/^fakedelta:(.*)\|(.*)\|(\d+)\|(\d+)$/);
  if (!match || match[1]?.toLowerCase() !== mailbox.toLowerCase() || match[2] !== folderId)
    throw new SyncError('invalid', 'ErrorInvalidSyncStateData', 'the delta link is not for this folder', {
      status: 400,
    });
  return { generation: Number(match[3]), seq: Number(match[4]) };
}
