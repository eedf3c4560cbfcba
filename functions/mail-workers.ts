import type { InvocationContext } from '@azure/functions';
import { SyncError } from '../shared/errors.js';
import { handleMailSync } from '../shared/mail-sync/mail-round.js';
import { queueMessageSchema } from '../shared/queue-message.js';
import { runtime } from './runtime.js';

/**
 * The `mail` queue's function: one `mailSync` message → one mail round of the account
 * (shared/mail-sync/mail-round.ts). A message that does not parse, or is of another kind,
 * can never succeed: it is refused with the reason (poison / dead-letter). Anything else that
 * throws is retried by the queue.
 */
export async function mailSync(message: unknown, context: InvocationContext): Promise<void> {
  const parsed = queueMessageSchema.safeParse(message);
  if (!parsed.success || parsed.data.kind !== 'mailSync') {
    const reason = parsed.success
      ? `kind ${parsed.data.kind} does not belong on the mail queue`
      : parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ');
    context.error(`mail: invalid message refused: ${reason}`);
    throw new SyncError('invalid', 'InvalidMessage', `invalid mail message: ${reason}`);
  }
  const rt = await runtime();
  const result = await handleMailSync(rt.mail, parsed.data);
  context.log(
    `mail: mailSync ${result.outcome}: ${result.reason}${result.upserts > 0 ? ` (upserts=${result.upserts} linked=${result.linked})` : ''}`,
  );
}
