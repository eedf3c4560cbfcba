import type { InvocationContext } from '@azure/functions';
import { SyncError } from '../shared/errors.js';
import { queueMessageSchema } from '../shared/queue-message.js';
import { handleMessage } from '../shared/sync/worker.js';
import { runtime } from './runtime.js';

/**
 * The two queue functions. A message that does not parse can never succeed: it is refused
 * with the reason (the local host moves it to `<queue>-poison` at once; Service Bus dead-letters
 * it after its delivery count). Anything else that throws is retried by the queue.
 */
async function work(queue: string, message: unknown, context: InvocationContext): Promise<void> {
  const parsed = queueMessageSchema.safeParse(message);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    context.error(`${queue}: invalid message refused: ${reason}`);
    throw new SyncError('invalid', 'InvalidMessage', `invalid ${queue} message: ${reason}`);
  }
  const rt = await runtime();
  const result = await handleMessage(rt.deps, parsed.data);
  const changed = Object.entries(result.tally)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');
  context.log(
    `${queue}: ${parsed.data.kind} ${result.outcome}: ${result.reason}${changed ? ` (${changed})` : ''}`,
  );
  rt.observe?.(parsed.data, result);
}

export function exchangeToCrm(message: unknown, context: InvocationContext): Promise<void> {
  return work('exchange-to-crm', message, context);
}

export function crmToExchange(message: unknown, context: InvocationContext): Promise<void> {
  return work('crm-to-exchange', message, context);
}
