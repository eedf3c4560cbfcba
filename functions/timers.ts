import type { InvocationContext, Timer } from '@azure/functions';
import { enqueueMailPolls, enqueueMailRenewals, enqueueMailSweep } from '../shared/mail-sync/mail-jobs.js';
import {
  enqueueMigrationCutoff,
  enqueuePolls,
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

/**
 * On-premises (EWS) accounts have no push: each is polled with SyncFolderItems at its own slot
 * of EWS_POLL_INTERVAL_SECONDS (shared/sync/poll-schedule.ts). The slots since this timer's
 * previous run are due (Azure passes it in scheduleStatus.last; otherwise one tick ago).
 */
export async function ewsPoll(timer: Timer, context: InvocationContext): Promise<void> {
  const rt = await runtime();
  const last = Date.parse(timer.scheduleStatus?.last ?? '');
  const since = Number.isNaN(last) ? {} : { since: new Date(last) };
  const n = await enqueuePolls(rt.deps, since);
  // Their mail too: EWS has no message notifications.
  const mail = await enqueueMailPolls(rt.deps, since);
  if (n > 0 || mail > 0 || timer.isPastDue)
    context.log(
      `ewsPoll: queued ${n} poll(s) of on-premises account(s), ${mail} mail round(s)${timer.isPastDue ? ' (past due)' : ''}`,
    );
}
