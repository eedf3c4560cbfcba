import type { MailAttachment } from '../mail/classify.js';
import type { CrmMail } from '../mail/crm-mail.js';
import type { MailFolderInfo } from '../mail/folders.js';
import type { DeltaEntry, GraphMessage } from '../mail/message.js';
import type { MailSettings } from '../mail/settings.js';
import type { Etag, GraphSubscription, Stored } from '../ports.js';

/**
 * What the mail sync needs from a mailbox (issue 17, item 1), beside `ExchangeContacts`. Every
 * method succeeds or throws a SyncError; a mailbox Graph cannot read throws `mailboxUnavailable`.
 * Message ids are immutable ids (`Prefer: IdType="ImmutableId"` on every request), so a move
 * keeps the id and a notification names the same id as delta.
 */

export interface MailDeltaPage {
  /** In change order, validated item by item (invalid items are `invalid` entries, never synced). */
  entries: DeltaEntry[];
  /** Set on the last page only: store it after the page has been processed. */
  deltaLink?: string;
  /**
   * A point to resume this round from once the page has been processed (EWS: the page's
   * SyncState), so a round cut off in the middle, a first import above all, goes on where it
   * stopped instead of listing the folder again. Absent where the provider has none (Graph).
   */
  resumeCursor?: string;
  /** As for contacts (shared/ports.ts DeltaPage): the sync state had expired and the folder is listed anew. */
  restarted: boolean;
}

export interface MessageContent {
  bodyText: string | null;
  attachments: MailAttachment[];
}

export interface ExchangeMail {
  /** The owner's SMTP addresses (`proxyAddresses` and `mail`), lower-cased. */
  ownAddresses(mailbox: string): Promise<string[]>;
  /** The folders to sync under the setting, with their display names (folders.ts rules applied). */
  syncedFolders(mailbox: string, mode: MailSettings['folders']): Promise<MailFolderInfo[]>;
  /** One delta round of a folder, from `deltaLink` (null: the whole folder). */
  messageDelta(mailbox: string, folderId: string, deltaLink: string | null): AsyncIterable<MailDeltaPage>;
  /**
   * Text bodies (and attachment metadata for `withAttachments` ids) of the given messages;
   * a message gone meanwhile is absent from the answer.
   */
  contents(
    mailbox: string,
    ids: readonly string[],
    withAttachments: ReadonlySet<string>,
  ): Promise<Map<string, MessageContent>>;
  /** Messages read again by id (immutable ids), with the fields delta gives; gone ones are absent. */
  messages(mailbox: string, ids: readonly string[]): Promise<Map<string, GraphMessage>>;
  createMessageSubscription(input: {
    mailbox: string;
    notificationUrl: string;
    lifecycleNotificationUrl: string;
    clientState: string;
    expirationDateTime: string;
  }): Promise<GraphSubscription>;
  renewSubscription(id: string, expirationDateTime: string): Promise<GraphSubscription>;
  getSubscription(id: string): Promise<GraphSubscription | null>;
  deleteSubscription(id: string): Promise<void>;
}

/** Which CRM e-mail a mailbox's message was merged into, and from which folder (shared/mail/plan.ts). */
export interface KnownCopy {
  key: string;
  folder: string;
}

/**
 * A message of the window that linked no contact when it was seen: who was on it, so it can
 * be linked when a contact gains one of those addresses (issue 17, item 2).
 */
export interface UnlinkedCopy {
  messageId: string;
  folder: string;
  /** Every participant's address, normalised (shared/mail/participants.ts). */
  addresses: string[];
  receivedAt: string | null;
}

/**
 * Our own store of the mail sync (Table Storage, table `mail`): per account, the messages
 * linked so far; per tenant, the CRM e-mails as we last wrote them (the window's metadata:
 * participants, contacts, mailboxes), so a page is planned without reading the CRM and copies
 * of several mailboxes merge under an ETag; and who owns a message subscription.
 */
export interface MailStore {
  knownCopies(accountId: string): Promise<Map<string, KnownCopy>>;
  /** Upserts and deletes of known copies, in that order; deleting one already gone is not an error. */
  applyCopies(
    accountId: string,
    remember: readonly { messageId: string; copy: KnownCopy }[],
    forget: readonly string[],
  ): Promise<void>;
  getMail(tenantId: string, key: string): Promise<Stored<CrmMail> | null>;
  /** etag null → create; a stale etag (or an existing row for null) throws `conflict`. */
  putMail(tenantId: string, mail: CrmMail, etag: Etag): Promise<string>;
  /** The tenant's e-mails received at or after `since` (the window), for relinking. */
  mailsSince(tenantId: string, since: Date): AsyncIterable<CrmMail>;
  /** Unlinked copies of the window: recorded, dropped once linked or gone, listed for relinking. */
  rememberUnlinked(accountId: string, copies: readonly UnlinkedCopy[]): Promise<void>;
  forgetUnlinked(accountId: string, messageIds: readonly string[]): Promise<void>;
  unlinked(accountId: string): AsyncIterable<UnlinkedCopy>;
  subscriptionOwner(subscriptionId: string): Promise<string | null>;
  putSubscriptionOwner(subscriptionId: string, accountId: string): Promise<void>;
  deleteSubscriptionOwner(subscriptionId: string): Promise<void>;
}
