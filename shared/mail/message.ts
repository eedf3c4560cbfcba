import { z } from 'zod';

/**
 * A Graph `message` as the mail sync reads it (learn.microsoft.com/graph/api/resources/message),
 * validated once at the edge. Only the fields issue 17 uses are kept; unknown fields pass
 * through untouched so a new Graph property never makes a message invalid.
 *
 * Graph omits what was not `$select`ed and sends `null` for empty values, so every field but
 * `id` is optional and nullable here; the rules treat a missing list as empty.
 */

const emailAddressSchema = z
  .object({
    name: z.string().nullable().optional(),
    // Graph leaves the address out for some senders (X.500-only, deleted users).
    address: z.string().nullable().optional(),
  })
  .passthrough();

export const recipientSchema = z
  .object({ emailAddress: emailAddressSchema.nullable().optional() })
  .passthrough();

const headerSchema = z.object({ name: z.string(), value: z.string() }).passthrough();
const instantSchema = z.iso.datetime({ offset: true });

export const graphMessageSchema = z
  .object({
    id: z.string().min(1),
    '@odata.type': z.string().optional(),
    '@odata.etag': z.string().optional(),
    internetMessageId: z.string().nullable().optional(),
    conversationId: z.string().nullable().optional(),
    from: recipientSchema.nullable().optional(),
    sender: recipientSchema.nullable().optional(),
    toRecipients: z.array(recipientSchema).nullable().optional(),
    ccRecipients: z.array(recipientSchema).nullable().optional(),
    bccRecipients: z.array(recipientSchema).nullable().optional(),
    subject: z.string().nullable().optional(),
    sentDateTime: instantSchema.nullable().optional(),
    receivedDateTime: instantSchema.nullable().optional(),
    bodyPreview: z.string().nullable().optional(),
    body: z.object({ contentType: z.string(), content: z.string() }).passthrough().nullable().optional(),
    hasAttachments: z.boolean().nullable().optional(),
    categories: z.array(z.string()).nullable().optional(),
    isDraft: z.boolean().nullable().optional(),
    internetMessageHeaders: z.array(headerSchema).nullable().optional(),
    parentFolderId: z.string().nullable().optional(),
  })
  .passthrough();

export type GraphMessage = z.infer<typeof graphMessageSchema>;
export type GraphRecipient = z.infer<typeof recipientSchema>;

/** A delta entry for a message that left the folder (deleted or moved away). */
export const removedMessageSchema = z
  .object({ id: z.string().min(1), '@removed': z.object({ reason: z.string() }).passthrough() })
  .passthrough();

export type DeltaEntry =
  | { kind: 'message'; message: GraphMessage }
  | { kind: 'removed'; id: string; reason: string }
  | { kind: 'invalid'; id: string | null; reason: string };

/** One delta item: a message, a removal, or invalid input (recorded, never synced). */
export function parseDeltaEntry(raw: unknown): DeltaEntry {
  const removed = removedMessageSchema.safeParse(raw);
  if (removed.success)
    return { kind: 'removed', id: removed.data.id, reason: removed.data['@removed'].reason };
  const parsed = graphMessageSchema.safeParse(raw);
  if (parsed.success) return { kind: 'message', message: parsed.data };
  const first = parsed.error.issues[0];
  const id =
    typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
      ? (raw as { id: string }).id
      : null;
  return {
    kind: 'invalid',
    id,
    reason: first ? `${first.path.join('.') || '(item)'}: ${first.message}` : 'invalid',
  };
}

/** The value of a header (case-insensitive name), or undefined. */
export function headerValue(message: GraphMessage, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return message.internetMessageHeaders?.find((header) => header.name.toLowerCase() === wanted)?.value;
}
