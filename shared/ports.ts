/**
 * The interfaces the sync core needs from the outside world. Adapters in shared/adapters/
 * implement them over real services (Graph, the CRM REST API, Table Storage, Service Bus or
 * Azurite queues); test/fakes/ hold in-memory versions for pure engine tests.
 *
 * Every method either succeeds or throws a `SyncError` subclass from shared/errors.ts, so the
 * callers can dispatch on `error.kind` in one place.
 */

import type { Account } from './accounts/account.js';
import type { CrmContact, CrmContactInput } from './contact/crm-contact.js';
import type { ExchangeContact, ExchangeFields } from './contact/exchange-contact.js';
import type { QueueMessage } from './queue-message.js';
import type { ContactLink, LogEntry } from './sync/link.js';

export interface Clock {
  now(): Date;
}

// ---------------------------------------------------------------- Exchange (Graph, EWS)

export interface ContactFolder {
  id: string;
  displayName: string;
}

/**
 * One page of a delta round: changes, and cursors to resume from.
 *
 * Graph may send an item more than once (learn.microsoft.com/graph/delta-query-overview): on
 * one page the adapter keeps only its last state (an id is in `upserts` or in `removedIds`,
 * never both); across the pages of a round, and from one round to the next, an id may come
 * again, and the later page holds its newer state. An id removed from one folder and listed
 * in another is a move (with immutable ids, the same id).
 */
export interface DeltaPage {
  upserts: ExchangeContact[];
  removedIds: string[];
  /**
   * Set on the last page only: the folder's round is complete, and its next round starts here
   * (Graph's deltaLink, EWS's final SyncState). Store it after the page has been processed
   * ("save the cursor last").
   */
  deltaLink?: string;
  /**
   * A point the folder's round can resume from, valid once this page has been processed (its
   * upserts and removals decided): the next round started with it as `deltaLink` lists what
   * came after this page, not the whole folder again. EWS sets it on every page (the
   * SyncState of each SyncFolderItems answer, syncfolderitems-operation); Graph on none but
   * the last, where it equals `deltaLink` (a nextLink is not a state to come back to later), so
   * a Graph round that is cut off starts over from the stored deltaLink. The engine stores it
   * when the round so far has nothing left undecided (exchange-round.ts, checkpoints), so a
   * cut-off first sync of thousands of contacts goes on where it stopped.
   */
  resumeCursor?: string;
  /**
   * True when a sync state had expired (410 SyncStateNotFound, on the stored deltaLink or on a
   * nextLink in the middle of the round) and the round restarted from scratch: this page and
   * every later one of the round list the whole folder, not changes, and deletions made while
   * the state was lost are not reported. Pages before the restart were changes and stay valid.
   */
  restarted: boolean;
  /** Items Graph returned that failed validation; recorded in the action log, never synced. */
  skipped?: { id: string | null; reason: string }[];
}

export interface GraphSubscription {
  id: string;
  resource: string;
  expirationDateTime: string;
  clientState: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
}

export interface ExchangeDeleteOptions {
  /**
   * Past Deleted Items, where Outlook cannot restore it (Graph `permanentDelete`, EWS
   * `HardDelete`). The engine asks for it only for a surplus copy the sync itself made (the
   * copy a restored original replaces, restored-original.ts), which restored would come back
   * as a duplicate; never for a delete a user's action causes (a CRM delete or untag), which
   * stays recoverable in Deleted Items.
   */
  permanent?: boolean;
}

export interface ExchangeContacts {
  listFolders(mailbox: string): Promise<ContactFolder[]>;
  /** The mailbox's default Contacts folder (`/users/{m}/contactFolders/contacts`). */
  defaultFolderId(mailbox: string): Promise<string>;
  /**
   * Resumable delta round per folder. `deltaLink` null starts a full round. A folder that no
   * longer exists (deleted in Outlook) throws a `notFound` SyncError with code
   * `ErrorSyncFolderNotFound`; a mailbox that cannot be read throws `mailboxUnavailable`.
   */
  delta(mailbox: string, folderId: string, deltaLink: string | null): AsyncIterable<DeltaPage>;
  /**
   * Null only when the contact is gone (deleted, or soft-deleted into Deleted Items, which is
   * never synced). A mailbox that cannot be read throws `mailboxUnavailable`; a failure the
   * adapter cannot classify throws `transient`, never null. Birthdays (here and in every
   * contact the port returns) are calendar dates `YYYY-MM-DD` of the mailbox's time zone.
   */
  get(mailbox: string, id: string): Promise<ExchangeContact | null>;
  /** Creates the contact with the ownership marker `linkId`, so a retry after a crash finds it. */
  create(mailbox: string, folderId: string, fields: ExchangeFields, linkId: string): Promise<ExchangeContact>;
  /**
   * PATCHes exactly the given fields; throws a `conflict` SyncError when `changeKey` no longer
   * matches. `current` is the contact as last read (the one the change was planned against):
   * with it the write keeps what the user chose in Outlook (a displayName of their own, each
   * address's display name) without reading the contact again.
   */
  update(
    mailbox: string,
    id: string,
    fields: Partial<ExchangeFields>,
    changeKey?: string,
    current?: ExchangeContact,
  ): Promise<ExchangeContact>;
  /**
   * Deleting a contact that is already gone is not an error. With `changeKey` the delete is
   * conditional (`If-Match`): a contact changed since that read throws a `conflict` SyncError,
   * so an Outlook edit made after our read wins (edit beats delete). It goes to the user's
   * Deleted Items (Graph DELETE, EWS MoveToDeletedItems), unless `options.permanent`.
   */
  delete(mailbox: string, id: string, changeKey?: string, options?: ExchangeDeleteOptions): Promise<void>;
  findByLinkId(mailbox: string, linkId: string): Promise<ExchangeContact | null>;
  /**
   * Present when the provider pushes change notifications (Graph's webhooks): the account
   * keeps a subscription, renewed by timer, and a notification starts a delta round. Absent
   * when it cannot (Exchange on the customer's server over EWS, issue 18 item 2): the account
   * is polled, its delta rounds queued by the polling timer (timer-jobs.ts `enqueuePolls`), and
   * no subscription is made, renewed or reconciled for it.
   */
  readonly subscriptions?: ContactSubscriptions;
}

/** Change-notification subscriptions on a mailbox's contacts (Graph `/subscriptions`). */
export interface ContactSubscriptions {
  createSubscription(input: {
    mailbox: string;
    notificationUrl: string;
    lifecycleNotificationUrl: string;
    clientState: string;
    expirationDateTime: string;
  }): Promise<GraphSubscription>;
  renewSubscription(id: string, expirationDateTime: string): Promise<GraphSubscription>;
  /**
   * Answers a `reauthorizationRequired` lifecycle event (`POST /subscriptions/{id}/reauthorize`):
   * Graph resumes delivery without a new expiry. A subscription Graph no longer has throws a
   * `notFound` SyncError (recreate it then).
   */
  reauthorizeSubscription(id: string): Promise<void>;
  /** Null when Graph no longer has it (expired, or removed with the lifecycle event lost). */
  getSubscription(id: string): Promise<GraphSubscription | null>;
  deleteSubscription(id: string): Promise<void>;
}

// ---------------------------------------------------------------- CRM

export interface CrmPage {
  items: CrmContact[];
  nextPageToken?: string;
}

export interface CrmContacts {
  list(options?: { updatedSince?: string; pageToken?: string }): Promise<CrmPage>;
  get(id: string): Promise<CrmContact | null>;
  /** `idempotencyKey` makes a retried create return the contact the first attempt made. */
  create(input: CrmContactInput, idempotencyKey: string): Promise<CrmContact>;
  /** Throws a `conflict` SyncError on a stale `version` (HTTP 412). */
  update(id: string, patch: Partial<CrmContactInput>, version: number): Promise<CrmContact>;
  /** Deleting a contact that is already gone is not an error. */
  delete(id: string, version?: number): Promise<void>;
  findByEmail(email: string): Promise<CrmContact[]>;
}

// ---------------------------------------------------------------- Table Storage

/** Optimistic concurrency token of a stored row; `null` for "must not exist yet". */
export type Etag = string | null;

export interface Stored<T> {
  value: T;
  etag: string;
}

export interface Mirror {
  getByCrmId(accountId: string, crmId: string): Promise<Stored<ContactLink> | null>;
  getByExchangeId(accountId: string, exchangeId: string): Promise<Stored<ContactLink> | null>;
  getByLinkId(accountId: string, linkId: string): Promise<Stored<ContactLink> | null>;
  /**
   * Writes the link and its lookup rows in one transaction. `etag` null means create (a
   * `conflict` SyncError when it exists); a string means replace only if unchanged.
   */
  put(link: ContactLink, etag: Etag): Promise<string>;
  /** Throws a `notFound` SyncError when the link is already gone, `conflict` on a stale etag. */
  delete(link: ContactLink, etag: string): Promise<void>;
  list(accountId: string): AsyncIterable<ContactLink>;
  appendLog(accountId: string, entries: LogEntry[]): Promise<void>;
  readLog(accountId: string, contactKey: string): Promise<LogEntry[]>;
  /**
   * The action log's retention: removes up to `limit` of the account's entries older than
   * `before` and returns how many went (fewer than `limit`: nothing older is left).
   */
  pruneLog(accountId: string, before: Date, limit: number): Promise<number>;
}

export interface Accounts {
  get(id: string): Promise<Stored<Account> | null>;
  list(): AsyncIterable<Account>;
  findBySubscriptionId(subscriptionId: string): Promise<Account | null>;
  /** etag null → create; throws a `conflict` SyncError on a stale etag. */
  put(account: Account, etag: Etag): Promise<string>;
  /**
   * Removes the account row and its subscription lookup row together; throws a `conflict`
   * SyncError on a stale etag (also one that changed between the check and the delete).
   * Deleting an account that is already gone is not an error. Account removal's last step
   * (shared/service/remove-account.ts).
   */
  delete(id: string, etag: string): Promise<void>;
}

// ---------------------------------------------------------------- Secrets

/**
 * Where account secrets live (an on-premises account's password): Key Vault in Azure, one
 * secret per account read through the app's identity; encrypted at rest on the local stack.
 * Values never reach a table, a log or an API answer.
 */
export interface SecretStore {
  /** Null when there is no such secret. */
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  /** Deleting a secret that is already gone is not an error. */
  delete(name: string): Promise<void>;
}

// ---------------------------------------------------------------- Queues

/**
 * The work queues (Service Bus session queues in Azure, storage queues locally). CRM events
 * have their own queue, ahead of the per-account work they fan out to: a bulk edit's thousands
 * of events would otherwise stand in front of the pushes they cause (the queues are FIFO).
 * Mail has its own queue for the same reason: a mailbox's first import must not stand in
 * front of its contacts' sync.
 */
export const QUEUE_NAMES = ['exchange-to-crm', 'crm-events', 'crm-to-exchange', 'mail'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface Queue {
  send(queue: QueueName, message: QueueMessage): Promise<void>;
}

/** A held lease: renewed while its holder works, released when done. */
export interface LeaseHandle {
  /**
   * Extends the lease to `ttlMs` from now. False when it is no longer ours (another worker
   * took it over after it expired, or it was released): the holder must stop writing.
   */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

/** One-writer-per-account lease for the local stack (Service Bus sessions do this in Azure). */
export interface Lease {
  acquire(key: string, ttlMs: number): Promise<LeaseHandle | null>;
}
