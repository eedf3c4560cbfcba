import { createHash } from 'node:crypto';
import { migrationState, syncAllowed } from '../accounts/migration-policy.js';
import { planSubscription } from '../accounts/subscription-plan.js';
import type { Queue } from '../ports.js';
import type { QueueMessage } from '../queue-message.js';
import { subscriptionOptions } from '../sync/account-tasks.js';
import type { SyncDeps } from '../sync/deps.js';
import { isPolled } from '../sync/exchange-router.js';
import { DEFAULT_POLL_INTERVAL_MS, pollDue } from '../sync/poll-schedule.js';
import { DEFAULT_POLL_TICK_MS } from '../sync/timer-jobs.js';
import { asPlannable } from './mail-subscription.js';

/**
 * Everything that asks for mail work puts a `mailSync` message on the `mail` queue: a
 * connect or a migration (a full round: the first import), a change notification or a
 * lifecycle event on the message subscription, the periodic sweep (with the reconcile timer,
 * so nothing depends on a notification arriving) and the subscription renewal timer.
 */

export const LIFECYCLE_REAUTHORIZE = 'lifecycle reauthorizationRequired';
/** The periodic sweep's reason: its rounds also compare the mailbox with what was linked (mail-reconcile.ts). */
export const MAIL_SWEEP = 'sweep';

export function mailSyncMessage(
  accountId: string,
  full: boolean,
  reason: string,
  at: Date,
  dedupe?: string,
): Extract<QueueMessage, { kind: 'mailSync' }> {
  const id = dedupe ?? `${full ? 'full' : 'delta'}:${at.toISOString()}:${reason}`;
  return {
    v: 1,
    kind: 'mailSync',
    accountId,
    full,
    reason: reason.slice(0, 200),
    at: at.toISOString(),
    sessionKey: accountId,
    dedupeId: `mail:${createHash('sha256').update(`${accountId}|${id}`).digest('base64url')}`,
  };
}

export function enqueueMailSync(
  deps: { queue: Queue; clock: SyncDeps['clock'] },
  accountId: string,
  full: boolean,
  reason: string,
): Promise<void> {
  return deps.queue.send('mail', mailSyncMessage(accountId, full, reason, deps.clock.now()));
}

/** The periodic sweep: a full mail round for every account that may sync. */
export async function enqueueMailSweep(deps: SyncDeps): Promise<number> {
  let n = 0;
  for await (const account of deps.accounts.list()) {
    if (!syncAllowed(migrationState(account.syncVersion, deps.clock.now(), deps.settings.migration)))
      continue;
    await enqueueMailSync(deps, account.id, true, MAIL_SWEEP);
    n++;
  }
  return n;
}

/**
 * Polled (EWS) accounts' mail (issue 18 items 2 and 9): at each account's poll slot
 * (poll-schedule.ts, the same slots as its contacts), a delta mail round, which is what a
 * Graph message notification would cause. An account the server asked to wait is left alone
 * until then. `since` is the polling timer's previous run. Answers how many were queued.
 */
export async function enqueueMailPolls(deps: SyncDeps, options: { since?: Date } = {}): Promise<number> {
  const now = deps.wallClock.now();
  const since = options.since ?? new Date(now.getTime() - DEFAULT_POLL_TICK_MS);
  const interval = deps.settings.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let n = 0;
  for await (const account of deps.accounts.list()) {
    if (!syncAllowed(migrationState(account.syncVersion, deps.clock.now(), deps.settings.migration)))
      continue;
    if (!isPolled(deps, account)) continue;
    const due = pollDue(account.id, since, now, interval, account.status.backOffUntil);
    if (!due) continue;
    await deps.queue.send(
      'mail',
      mailSyncMessage(
        account.id,
        false,
        'poll',
        deps.clock.now(),
        `poll:${due.afterBackOff ? 'b' : ''}${due.slot}`,
      ),
    );
    n++;
  }
  return n;
}

/**
 * Message subscriptions due for renewal (or missing): a full round renews or makes them.
 * Polled (EWS) accounts have none and are skipped.
 */
export async function enqueueMailRenewals(deps: SyncDeps): Promise<number> {
  const now = deps.wallClock.now();
  let n = 0;
  for await (const account of deps.accounts.list()) {
    if (!syncAllowed(migrationState(account.syncVersion, deps.clock.now(), deps.settings.migration)))
      continue;
    if (isPolled(deps, account)) continue;
    if (planSubscription(asPlannable(account), now, subscriptionOptions(deps)).kind === 'none') continue;
    await enqueueMailSync(deps, account.id, true, 'mail subscription renewal');
    n++;
  }
  return n;
}
