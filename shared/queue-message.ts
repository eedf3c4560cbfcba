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
  accountId: z.string().min(1).max(128),
};

export const queueMessageSchema = z.discriminatedUnion('kind', [
  /** Something changed in the account's mailbox: run a delta round (all folders or one). */
  z
    .object({
      ...base,
      kind: z.literal('exchangeChanged'),
      folderId: z.string().nullable(),
      reason: z.string(),
      /** When the change was reported; a delta round started later already covers it. */
      at: z.iso.datetime({ offset: true }),
    })
    .strict(),
  /** A CRM contact changed: re-read it and push it to the account's mailbox. */
  z
    .object({
      ...base,
      kind: z.literal('crmChanged'),
      contactId: z.string().min(1),
      version: z.number().int(),
    })
    .strict(),
  /** Periodic or requested sweep of both sides for one account. */
  z.object({ ...base, kind: z.literal('reconcile'), full: z.boolean() }).strict(),
]);

export type QueueMessage = z.infer<typeof queueMessageSchema>;
export type QueueMessageKind = QueueMessage['kind'];
