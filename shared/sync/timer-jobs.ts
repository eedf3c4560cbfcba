import { migrationState, planMigrationCutoff, syncAllowed } from '../accounts/migration-policy.js';
import { planSubscription } from '../accounts/subscription-plan.js';
import { isSyncError } from '../errors.js';
import { subscriptionOptions } from './account-tasks.js';
import type { SyncDeps } from './deps.js';
import { isPolled } from './exchange-router.js';
import { DEFAULT_POLL_INTERVAL_MS, pollDue } from './poll-schedule.js';

/**
 * What the timers do, as use cases over the ports. Each is idempotent: running it twice,
 * or late (a missed schedule), gives the same result as running it once on time.
 */

/** One reconcile message per account that may sync: a full sweep of both sides. */
export async function enqueueReconcile(deps: SyncDeps): Promise<number> {
  // Unique per run: a sweep asked for twice in one minute (timer plus a manual run) must not be dropped.
  const slot = deps.clock.now().toISOString();
  let n = 0;
  for await (const account of deps.accounts.list()) {
    if (account.removal) {
      // No sweep of an account being removed; its removal task instead, in case that one was lost
      // (shared/service/remove-account.ts: a task goes on at the step the account row names).
      await deps.queue.send('exchange-to-crm', {
        v: 1,
        kind: 'accountTask',
        task: 'remove',
        accountId: account.id,
        reason: 'reconcile: removal still under way',
        sessionKey: account.id,
        dedupeId: `remove:${account.id}:${slot}`.slice(0, 128),
      });
      continue;
    }
    if (!syncAllowed(migrationState(account.syncVersion, deps.clock.now(), deps.settings.migration)))
      continue;
    await deps.queue.send('exchange-to-crm', {
      v: 1,
      kind: 'reconcile',
      accountId: account.id,
      full: true,
      sessionKey: account.id,
      dedupeId: `reconcile:${account.id}:${slot}`.slice(0, 128),
    });
    n++;
  }
  return n;
}

/** The polling timer's default period (EWS_POLL_SCHEDULE: every 30 seconds). */
export const DEFAULT_POLL_TICK_MS = 30_000;

/**
 * The polling timer (issue 18 item 2): the accounts whose adapter has no subscriptions (EWS,
 * on-premises) get the delta round a Graph notification would cause, each at its own slot of
 * the interval (poll-schedule.ts); `since` is this timer's previous run (default one tick
 * ago). An account whose server asked us to wait is left alone until then, and then polled on
 * both sides (a reconcile without the full CRM sweep). Answers how many were queued.
 */
export async function enqueuePolls(deps: SyncDeps, options: { since?: Date } = {}): Promise<number> {
  const { since, now } = pollWindow(deps.wallClock.now(), options.since);
  const interval = deps.settings.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let n = 0;
  for await (const account of deps.accounts.list()) {
    if (!syncAllowed(migrationState(account.syncVersion, deps.clock.now(), deps.settings.migration)))
      continue;
    if (!isPolled(deps, account)) continue;
    const due = pollDue(account.id, since, now, interval, account.status.backOffUntil);
    if (!due) continue;
    const dedupeId = `poll:${account.id}:${due.afterBackOff ? 'b' : ''}${due.slot}`.slice(0, 128);
    await deps.queue.send(
      'exchange-to-crm',
      due.afterBackOff
        ? { v: 1, kind: 'reconcile', accountId: account.id, full: false, sessionKey: account.id, dedupeId }
        : {
            v: 1,
            kind: 'exchangeChanged',
            accountId: account.id,
            folderId: null,
            reason: 'poll',
            at: deps.clock.now().toISOString(),
            sessionKey: account.id,
            dedupeId,
          },
    );
    n++;
  }
  return n;
}

/**
 * The instants a polling run covers: `(since, now]` when the host says when it last ran (Azure
 * passes scheduleStatus.last), else from the timer tick boundary before the last one,
 * `(t - tick, now]` with `t` the boundary at or before now: runs a few milliseconds late leave
 * no gap, and a slot two runs both cover has one number, so its second message is a duplicate
 * the queue drops (Service Bus duplicate detection, the local consumer's completed ids).
 */
export function pollWindow(now: Date, since?: Date): { since: Date; now: Date } {
  if (since) return { since, now };
  const boundary = Math.floor(now.getTime() / DEFAULT_POLL_TICK_MS) * DEFAULT_POLL_TICK_MS;
  return { since: new Date(boundary - DEFAULT_POLL_TICK_MS), now };
}

/**
 * Renew subscriptions well before Graph's cap; create the missing and the expired ones (Graph
 * deletes an expired subscription without telling anyone): `connect` makes one and catches up.
 * Polled accounts (EWS) have none and are skipped.
 */
export async function enqueueSubscriptionRenewal(deps: SyncDeps): Promise<number> {
  // Expiries are Graph's real time; the migration state is the product's time.
  const now = deps.wallClock.now();
  const productNow = deps.clock.now();
  let n = 0;
  for await (const account of deps.accounts.list()) {
    if (!syncAllowed(migrationState(account.syncVersion, productNow, deps.settings.migration))) continue;
    if (isPolled(deps, account)) continue;
    const plan = planSubscription(account, now, subscriptionOptions(deps));
    if (plan.kind === 'none') continue;
    await deps.queue.send('exchange-to-crm', {
      v: 1,
      kind: 'accountTask',
      accountId: account.id,
      task: plan.kind === 'create' ? 'connect' : 'renewSubscription',
      reason:
        plan.kind === 'create'
          ? 'no subscription'
          : `subscription expires ${account.subscription?.expirationDateTime}`,
      sessionKey: account.id,
      dedupeId: `sub:${account.id}:${plan.kind}:${now.toISOString().slice(0, 13)}`.slice(0, 128),
    });
    n++;
  }
  return n;
}

/** Deadline states and banners; at the shutdown, V2 subscriptions are removed once. */
export async function enqueueMigrationCutoff(
  deps: SyncDeps,
): Promise<{ transitions: number; stopped: number }> {
  const now = deps.clock.now();
  let transitions = 0;
  let stopped = 0;
  for await (const listed of deps.accounts.list()) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await deps.accounts.get(listed.id);
      if (!stored) break;
      const plan = planMigrationCutoff(stored.value, now, deps.settings.migration);
      if (!plan.changed) break;
      try {
        await deps.accounts.put(plan.account, stored.etag);
      } catch (error) {
        if (isSyncError(error, 'conflict')) continue; // changed meanwhile: plan again from the fresh row
        throw error;
      }
      if (plan.transition) transitions++;
      if (plan.stopSync) {
        stopped++;
        await deps.queue.send('exchange-to-crm', {
          v: 1,
          kind: 'accountTask',
          accountId: stored.value.id,
          task: 'removeSubscription',
          reason: 'V2 shutdown: sync stopped',
          sessionKey: stored.value.id,
          dedupeId: `stop:${stored.value.id}`,
        });
      }
      break;
    }
  }
  return { transitions, stopped };
}

/** The action log's retention, unless configured (LOG_RETENTION_DAYS). */
export const DEFAULT_LOG_RETENTION_DAYS = 180;

/**
 * Removes action-log entries older than the retention, for every account, a page at a time
 * (each page is a few table transactions), so one run stays short however much piled up; what
 * a run leaves (more than `maxPages` pages of one account) goes in the next.
 */
export async function pruneActionLogs(
  deps: SyncDeps,
  options: { retentionDays?: number; pageSize?: number; maxPages?: number } = {},
): Promise<number> {
  const days = options.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  const pageSize = options.pageSize ?? 500;
  const maxPages = options.maxPages ?? 40;
  // Log times are the product's time (log-entries.ts).
  const before = new Date(deps.clock.now().getTime() - days * 86_400_000);
  let removed = 0;
  for await (const account of deps.accounts.list()) {
    for (let page = 0; page < maxPages; page++) {
      const n = await deps.mirror.pruneLog(account.id, before, pageSize);
      removed += n;
      if (n < pageSize) break;
    }
  }
  return removed;
}
