import type { InvocationContext, Timer } from '@azure/functions';
import {
  enqueueMigrationCutoff,
  enqueueReconcile,
  enqueueSubscriptionRenewal,
} from '../shared/sync/timer-jobs.js';
import { runtime } from './runtime.js';

/** Timers only look at the accounts table and enqueue; the remote work happens in the queue workers. */

export async function reconcile(timer: Timer, context: InvocationContext): Promise<void> {
  const rt = await runtime();
  const n = await enqueueReconcile(rt.deps);
  context.log(`reconcile: queued a sweep for ${n} account(s)${timer.isPastDue ? ' (past due)' : ''}`);
}

export async function subscriptionRenewal(timer: Timer, context: InvocationContext): Promise<void> {
  const rt = await runtime();
  const n = await enqueueSubscriptionRenewal(rt.deps);
  context.log(`subscriptionRenewal: queued ${n} subscription task(s)${timer.isPastDue ? ' (past due)' : ''}`);
}

export async function migrationCutoff(timer: Timer, context: InvocationContext): Promise<void> {
  const rt = await runtime();
  const result = await enqueueMigrationCutoff(rt.deps);
  context.log(
    `migrationCutoff: ${result.transitions} transition(s), ${result.stopped} V2 account(s) stopped${timer.isPastDue ? ' (past due, caught up)' : ''}`,
  );
}
