import type { InvocationContext, Timer } from '@azure/functions';
import { enqueueMailRenewals, enqueueMailSweep } from '../shared/mail-sync/mail-jobs.js';
import {
  enqueueMigrationCutoff,
  enqueueReconcile,
  enqueueSubscriptionRenewal,
  pruneActionLogs,
} from '../shared/sync/timer-jobs.js';
import { runtime } from './runtime.js';

/** Timers only look at the accounts table and enqueue; the remote work happens in the queue workers. */

export async function reconcile(timer: Timer, context: InvocationContext): Promise<void> {
  const rt = await runtime();
  const n = await enqueueReconcile(rt.deps);
  // The mail sweep rides on the same schedule: nothing of the mail depends on a notification.
  const mail = await enqueueMailSweep(rt.deps);
  context.log(
    `reconcile: queued a sweep for ${n} account(s), a mail round for ${mail}${timer.isPastDue ? ' (past due)' : ''}`,
  );
}

export async function subscriptionRenewal(timer: Timer, context: InvocationContext): Promise<void> {
  const rt = await runtime();
  const n = await enqueueSubscriptionRenewal(rt.deps);
  const mail = await enqueueMailRenewals(rt.deps);
  context.log(
    `subscriptionRenewal: queued ${n} subscription task(s), ${mail} mail subscription round(s)${timer.isPastDue ? ' (past due)' : ''}`,
  );
}

export async function migrationCutoff(timer: Timer, context: InvocationContext): Promise<void> {
  const rt = await runtime();
  const result = await enqueueMigrationCutoff(rt.deps);
  context.log(
    `migrationCutoff: ${result.transitions} transition(s), ${result.stopped} V2 account(s) stopped${timer.isPastDue ? ' (past due, caught up)' : ''}`,
  );
}

export async function logRetention(timer: Timer, context: InvocationContext): Promise<void> {
  const rt = await runtime();
  const removed = await pruneActionLogs(rt.deps, { retentionDays: rt.config.logRetentionDays });
  context.log(
    `logRetention: removed ${removed} action-log entries older than ${rt.config.logRetentionDays} days${timer.isPastDue ? ' (past due)' : ''}`,
  );
}
