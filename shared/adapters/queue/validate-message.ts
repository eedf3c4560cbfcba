import { SyncError } from '../../errors.js';
import { type QueueMessage, queueMessageSchema } from '../../queue-message.js';

/** Checks a queue message at the edge; anything else is an `invalid` SyncError with the reasons. */
export function validateQueueMessage(candidate: unknown): QueueMessage {
  const parsed = queueMessageSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const reasons = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`,
  );
  throw new SyncError('invalid', 'InvalidQueueMessage', `Invalid queue message: ${reasons.join('; ')}`);
}
