import { z } from 'zod';

/**
 * Messages between the HTTP functions and the queue workers. Every message is a hint: the
 * worker re-reads the current state, so duplicates and reordering are harmless.
 * `sessionKey` serialises work per account (Service Bus sessionId); `dedupeId` is the
 * Service Bus messageId, so duplicate detection drops repeated deliveries.
 */
const base = {
  v: z.literal(1),
  sessionKey: z.string().min(1).max(128),
  dedupeId: z.string().min(1).max(128),
};
const accountId = z.string().min(1).max(128);

export const queueMessageSchema = z.discriminatedUnion('kind', [
  /** Something changed in the account's mailbox: run a delta round (all folders or one). */
  z
    .object({
      ...base,
      kind: z.literal('exchangeChanged'),
      accountId,
      folderId: z.string().nullable(),
      reason: z.string().max(200),
      /** When the change was reported; a delta round started later already covers it. */
      at: z.iso.datetime({ offset: true }),
    })
    .strict(),
  /**
   * A CRM event, not yet tied to an account (the event names only the contact). The worker
   * reads the contact and fans out one `crmChanged` per account it is tagged for or linked to.
   */
  z
    .object({
      ...base,
      kind: z.literal('crmEvent'),
      contactId: z.string().min(1).max(200),
      version: z.number().int().nonnegative(),
      deleted: z.boolean(),
    })
    .strict(),
  /** A CRM contact changed for one account: re-read it and sync it with the account's mailbox. */
  z
    .object({
      ...base,
      kind: z.literal('crmChanged'),
      accountId,
      contactId: z.string().min(1).max(200),
      /** The version the event reported; null when the contact is gone (always re-read). */
      version: z.number().int().nonnegative().nullable(),
    })
    .strict(),
  /**
   * Subscription and lifecycle work for one account, done by the worker so that HTTP functions
   * and timers never wait on Graph: connect (subscribe + initial sync), renew, recreate after
   * `subscriptionRemoved`, resync after `missed`, remove at the V2 shutdown; `remove` is the
   * account's removal (shared/service/remove-account.ts, run by functions/queue-workers.ts).
   */
  z
    .object({
      ...base,
      kind: z.literal('accountTask'),
      accountId,
      task: z.enum([
        'connect',
        'renewSubscription',
        'reauthorize',
        'recreateSubscription',
        'resync',
        'removeSubscription',
        'remove',
      ]),
      reason: z.string().max(200),
    })
    .strict(),
  /** Periodic or requested sweep of both sides for one account. */
  z.object({ ...base, kind: z.literal('reconcile'), accountId, full: z.boolean() }).strict(),
  /**
   * Mail work of one account, on the `mail` queue (shared/mail-sync/): a delta round of every
   * synced mail folder. `full` also rediscovers the folders and the owner's addresses, checks
   * the message subscription and links earlier mail to contacts that gained an address.
   */
  z
    .object({
      ...base,
      kind: z.literal('mailSync'),
      accountId,
      full: z.boolean(),
      reason: z.string().max(200),
      /** When the work was asked for; a round started later already covers it. */
      at: z.iso.datetime({ offset: true }),
    })
    .strict(),
]);

export type QueueMessage = z.infer<typeof queueMessageSchema>;
export type QueueMessageKind = QueueMessage['kind'];
