import type { InvocationContext } from '@azure/functions';
import { SyncError } from '../shared/errors.js';
import type { QueueMessage } from '../shared/queue-message.js';
import { queueMessageSchema } from '../shared/queue-message.js';
import { isRemovalTask, type RemovalMessage, runRemoval } from '../shared/service/remove-account.js';
import { emptyTally } from '../shared/sync/outcome.js';
import { handleBatch, handleMessage, type WorkResult } from '../shared/sync/worker.js';
import { type Runtime, runtime } from './runtime.js';

/**
 * The two queue functions. A message that does not parse can never succeed: it is refused
 * with the reason (the local host moves it to `<queue>-poison` at once; Service Bus dead-letters
 * it after its delivery count). Anything else that throws is retried by the queue.
 */
function parse(queue: string, message: unknown, context: InvocationContext): QueueMessage {
  const parsed = queueMessageSchema.safeParse(message);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    context.error(`${queue}: invalid message refused: ${reason}`);
    throw new SyncError('invalid', 'InvalidMessage', `invalid ${queue} message: ${reason}`);
  }
  return parsed.data;
}

async function work(queue: string, message: unknown, context: InvocationContext): Promise<void> {
  const parsed = parse(queue, message, context);
  const rt = await runtime();
  if (isRemovalTask(parsed)) return remove(rt, parsed, context);
  const result = await handleMessage(rt.deps, parsed);
  logResult(queue, parsed.kind, result, context);
  rt.observe?.(parsed, result);
}

function logResult(queue: string, what: string, result: WorkResult, context: InvocationContext) {
  const changed = Object.entries(result.tally)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');
  context.log(`${queue}: ${what} ${result.outcome}: ${result.reason}${changed ? ` (${changed})` : ''}`);
}

/**
 * Several messages of one session (one account) at once: a bulk tag in the CRM becomes one
 * batched push instead of a lease, a ledger bracket and a log write per contact; a burst of
 * mailbox hints becomes one delta round. Throwing means "retry them one by one" (the local
 * consumer does; in Azure see `batchThenOneByOne`).
 */
async function workBatch(queue: string, messages: unknown[], context: InvocationContext): Promise<void> {
  const all = messages.map((m) => parse(queue, m, context));
  const rt = await runtime();
  // An account's removal is no sync work: it runs on its own, after the batch's sync messages
  // (which find the account `removing` and skip).
  const parsed = all.filter((m) => !isRemovalTask(m));
  const removals = all.filter(isRemovalTask);
  if (parsed.length === 0) {
    for (const removal of removals) await remove(rt, removal, context);
    return;
  }
  const result = await handleBatch(rt.deps, parsed);
  logResult(queue, `batch of ${parsed.length}`, result, context);
  const observe = rt.observe;
  if (observe) {
    // The batch's tally is reported once, with the first message; the others changed nothing more.
    parsed.forEach((m, i) => {
      observe(m, i === 0 ? result : { ...result, tally: emptyTally() });
    });
  }
  for (const removal of removals) await remove(rt, removal, context);
}

/** The account's removal task (shared/service/remove-account.ts), with the mail sync's ports. */
async function remove(rt: Runtime, message: RemovalMessage, context: InvocationContext): Promise<void> {
  const result = await runRemoval(rt.mail, message.accountId);
  context.log(`exchange-to-crm: remove ${message.accountId} ${result.outcome}: ${result.reason}`);
  rt.observe?.(message, {
    outcome: result.outcome === 'skipped' ? 'skipped' : 'done',
    reason: result.reason,
    tally: emptyTally(),
  });
}

/**
 * The Service Bus trigger with `cardinality: 'many'` can only complete or abandon a whole
 * batch. So a failed batch is retried here one message at a time, and the batch is abandoned
 * only when one of those fails: the messages that succeeded come back and are no-ops then
 * (every handler re-reads current state), only the failing one keeps failing.
 */
export async function batchThenOneByOne(
  messages: unknown[],
  context: InvocationContext,
  batch: (messages: unknown[], context: InvocationContext) => Promise<void>,
  single: (message: unknown, context: InvocationContext) => Promise<void>,
): Promise<void> {
  try {
    if (messages.length > 1) return await batch(messages, context);
  } catch (error) {
    context.warn(`batch of ${messages.length} failed, one by one now: ${(error as Error).message}`);
  }
  let failure: unknown;
  for (const message of messages) {
    try {
      await single(message, context);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

export function exchangeToCrm(message: unknown, context: InvocationContext): Promise<void> {
  return work('exchange-to-crm', message, context);
}

export function exchangeToCrmBatch(messages: unknown[], context: InvocationContext): Promise<void> {
  return workBatch('exchange-to-crm', messages, context);
}

export function crmToExchange(message: unknown, context: InvocationContext): Promise<void> {
  return work('crm-to-exchange', message, context);
}

export function crmToExchangeBatch(messages: unknown[], context: InvocationContext): Promise<void> {
  return workBatch('crm-to-exchange', messages, context);
}

/** A CRM event → one `crmChanged` per account the contact is tagged for or linked to. */
export function crmFanOut(message: unknown, context: InvocationContext): Promise<void> {
  return work('crm-events', message, context);
}
