import {
  isMailboxUnavailable,
  markMailboxAvailable,
  markMailboxUnavailable,
} from '../accounts/mailbox-status.js';
import { migrationState, syncAllowed } from '../accounts/migration-policy.js';
import { isSyncError, SyncError, toError } from '../errors.js';
import type { QueueMessage } from '../queue-message.js';
import { AccountSession } from './account-session.js';
import { ensureSubscriptionExists, runAccountTask } from './account-tasks.js';
import { syncCrmContact, syncCrmContacts } from './crm-push.js';
import { sweepCrm } from './crm-sweep.js';
import { defaultFolderOf } from './default-folder.js';
import type { SyncDeps } from './deps.js';
import { runDeltaRound } from './exchange-round.js';
import { forAccount } from './exchange-router.js';
import { fanOutCrmEvent } from './fan-out.js';
import { ACCOUNT_LEASE_MS, HeldLease, leaseGuarded } from './lease-guard.js';
import { coalesceMailboxHints, coveredBy, type MailboxHint } from './mailbox-hints.js';
import { addTally, emptyTally, type SyncTally } from './outcome.js';
import { resolvePendingCreates } from './pending.js';

export interface WorkResult {
  /** What happened, for the log line. */
  outcome: 'done' | 'skipped';
  reason: string;
  tally: SyncTally;
}

/**
 * The queue workers' use case: one message in, the account's work done or a reason why not.
 * Throwing means "retry" (the queue redelivers, then dead-letters); everything that must not
 * be retried (unknown account, V2 sync stopped, a hint already covered) returns `skipped`.
 * One writer per account: the account's lease is held for the whole message.
 */
export async function handleMessage(deps: SyncDeps, message: QueueMessage): Promise<WorkResult> {
  if (message.kind === 'crmEvent') {
    const sent = await fanOutCrmEvent(deps, message);
    return { outcome: 'done', reason: `fanned out to ${sent} account(s)`, tally: emptyTally() };
  }
  if (message.kind === 'accountTask' && message.task === 'remove') {
    // Its ports (mail state, secrets) are the shell's: functions/queue-workers.ts runs it.
    throw new SyncError(
      'invalid',
      'NotASyncTask',
      'account removal runs in shared/service/remove-account.ts (functions/queue-workers.ts), not in a sync worker',
    );
  }
  if (message.kind === 'exchangeChanged' && (await alreadyCovered(deps, message))) {
    return skipped('a delta round started after this change was reported already covered it');
  }
  const stopping = message.kind === 'accountTask' && message.task === 'removeSubscription';
  const run = { stopping, pollsBothSides: message.kind === 'reconcile' };
  return underLease(deps, message.accountId, run, async (session, deps) => {
    if (message.kind === 'exchangeChanged' && coveredBy(session.account.status, message)) {
      return skipped('a delta round started after this change was reported already covered it');
    }
    if (stopping) {
      // A stopped V2 account: only its subscription is removed, nothing else is touched.
      await runAccountTask(deps, session, 'removeSubscription', '');
      return { outcome: 'done', reason: 'V2 subscription removed at the shutdown', tally: emptyTally() };
    }
    return { outcome: 'done', reason: message.kind, tally: await work(deps, session, message) };
  });
}

/**
 * Several messages of one session at once (the queue's batch handler). `crmChanged` messages
 * of one account are pushed together: one lease, one account read, one pending-ledger bracket
 * per chunk (crm-push.ts). Mailbox hints waiting together become one delta round. Any other
 * mix is handled one message after another. Throwing means "retry these one by one".
 */
export async function handleBatch(deps: SyncDeps, batch: QueueMessage[]): Promise<WorkResult> {
  const messages = coalesceMailboxHints(batch);
  const pushes = messages.filter(
    (m): m is Extract<QueueMessage, { kind: 'crmChanged' }> => m.kind === 'crmChanged',
  );
  const accountId = pushes[0]?.accountId;
  if (
    accountId === undefined ||
    pushes.length !== messages.length ||
    pushes.some((m) => m.accountId !== accountId)
  ) {
    const tally = emptyTally();
    for (const message of messages) addTally(tally, (await handleMessage(deps, message)).tally);
    const dropped = batch.length - messages.length;
    const reason = `${batch.length} messages${dropped > 0 ? ` (${dropped} mailbox hints covered by one round)` : ''}`;
    return { outcome: 'done', reason, tally };
  }
  return underLease(deps, accountId, { stopping: false, pollsBothSides: false }, async (session, deps) => {
    const folderId = await prepare(deps, session);
    const changes = pushes.map((m) => ({ contactId: m.contactId, version: m.version }));
    const tally = await syncCrmContacts(deps, session, changes, folderId);
    return { outcome: 'done', reason: `crmChanged ×${pushes.length}`, tally };
  });
}

/**
 * One writer per account: runs `work` holding the account's lease, with the account read once
 * under it (so what the worker sees is current). `work` gets the ports guarded by the lease
 * (lease-guard.ts): renewed while it works, every write stops once another worker took it over;
 * `deps.exchange` is the account's own adapter (exchange-router.ts). Counts warnings; records
 * the last error.
 */
async function underLease(
  unguarded: SyncDeps,
  accountId: string,
  run: {
    /** A V2 account's subscription removal at the shutdown: allowed after the sync stopped. */
    stopping: boolean;
    /**
     * A reconcile (Exchange round and CRM sweep): only it ends a server's back-off. Any other
     * run that gets through during the wait did not redo the work the server refused (a CRM
     * push), and ending the back-off then would leave that to the nightly full reconcile.
     */
    pollsBothSides: boolean;
  },
  work: (session: AccountSession, deps: SyncDeps) => Promise<WorkResult>,
): Promise<WorkResult> {
  const lease = await acquireLease(unguarded, accountId);
  try {
    const fresh = await unguarded.accounts.get(accountId);
    if (!fresh) return skipped(`account ${accountId} does not exist (deleted?)`);
    // Removing an account stops its sync (shared/service/remove-account.ts), even a V2 stop.
    if (fresh.value.removal) return skipped(`account ${accountId} is being removed`);
    // The account's own Exchange adapter (Graph or EWS, exchange-router.ts), guarded like the rest.
    const deps = leaseGuarded(forAccount(unguarded, fresh.value), lease);
    const state = migrationState(fresh.value.syncVersion, deps.clock.now(), deps.settings.migration);
    if (!syncAllowed(state) && !run.stopping) {
      return skipped(`account ${accountId} is on V2 and its sync stopped at the shutdown`);
    }
    const session = new AccountSession(deps, fresh);
    try {
      const result = await work(session, deps);
      const warnings = result.tally.keptBack + result.tally.conflicts;
      const wasUnavailable = result.outcome === 'done' && isMailboxUnavailable(session.account);
      const wasBackingOff =
        run.pollsBothSides && result.outcome === 'done' && Boolean(session.account.status.backOffUntil);
      if (warnings > 0 || wasUnavailable || wasBackingOff) {
        // Work got through: a mailbox marked unavailable is back, a server's back-off is over.
        await session.update((a) => {
          const next = wasUnavailable ? markMailboxAvailable(a) : a;
          return {
            ...next,
            status: {
              ...next.status,
              warnings: next.status.warnings + warnings,
              ...(wasBackingOff ? { backOffUntil: null } : {}),
            },
          };
        });
      }
      return result;
    } catch (error) {
      const backOffMs = serverBackOff(deps, error);
      if (backOffMs !== null) {
        // A polled server that is busy (EWS ErrorServerBusy) said how long to wait: retrying the
        // message sooner only adds to its load. The account's run moves to the end of the wait
        // (the polling timer's first run after it polls both sides, poll-schedule.ts).
        const until = new Date(deps.wallClock.now().getTime() + backOffMs).toISOString();
        await session.update((a) => ({ ...a, status: { ...a.status, backOffUntil: until } }));
        deps.log(`account ${accountId}: Exchange is busy; its run is rescheduled after ${until}`);
        return skipped(
          `Exchange is busy (${(error as SyncError).code}); the account's run is rescheduled after ${until}`,
        );
      }
      if (isSyncError(error, 'mailboxUnavailable')) {
        // Not a failure to retry: Graph cannot read this mailbox right now, and retrying the
        // message would only end in the dead-letter queue. Nothing was deleted; the status says
        // so, and reconcile (or the next notification) tries again by itself.
        const code = error.code;
        await session.update((a) => markMailboxUnavailable(a, code, deps.clock.now()));
        deps.log(`account ${accountId}: mailbox unavailable (${code}); waiting for it to come back`);
        return skipped(`the mailbox cannot be read right now (${code}); reconcile retries`);
      }
      // The status shows the last failure (already free of secrets: adapters scrub their errors).
      const text = toError(error).message.slice(0, 500);
      await session
        .update((a) => ({ ...a, status: { ...a.status, lastError: text } }))
        .catch(() => undefined);
      throw error;
    }
  } finally {
    await lease.release();
  }
}

/** Before any work for the account: its target folder, and creates a crashed worker left. */
async function prepare(deps: SyncDeps, session: AccountSession): Promise<string> {
  const folderId = session.account.targetFolderId ?? (await defaultFolderOf(deps.exchange, session.mailbox));
  await resolvePendingCreates(deps, session, folderId);
  return folderId;
}

async function work(
  deps: SyncDeps,
  session: AccountSession,
  message: Exclude<QueueMessage, { kind: 'crmEvent' }>,
): Promise<SyncTally> {
  const folderId = await prepare(deps, session);
  const tally = emptyTally();
  switch (message.kind) {
    case 'exchangeChanged':
      addTally(tally, await runDeltaRound(deps, session, folderId));
      break;
    case 'crmChanged':
      addTally(tally, await syncCrmContact(deps, session, message.contactId, folderId, message.version));
      break;
    case 'accountTask':
      addTally(tally, await runAccountTask(deps, session, message.task, folderId));
      break;
    case 'reconcile':
      await ensureSubscriptionExists(deps, session);
      addTally(tally, await runDeltaRound(deps, session, folderId));
      addTally(tally, await sweepCrm(deps, session, folderId, message.full));
      break;
  }
  return tally;
}

async function acquireLease(deps: SyncDeps, accountId: string): Promise<HeldLease> {
  const deadline = Date.now() + deps.settings.leaseWaitMs;
  const key = `account:${accountId}`;
  let wait = 25;
  for (;;) {
    const lease = await deps.lease.acquire(key, ACCOUNT_LEASE_MS);
    if (lease) return new HeldLease(lease, key, ACCOUNT_LEASE_MS, deps.clock);
    if (Date.now() > deadline)
      throw new SyncError('transient', 'AccountBusy', `another worker is syncing account ${accountId}`);
    // Back off while another worker of the account holds it (up to 200 ms between tries).
    wait = Math.min(wait * 2, 200);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/**
 * Checked before taking the lease, so a burst of hints a round already covered costs one read
 * each, not a lease. Safe without it: `lastDeltaStartedAt` only moves forward, so a stale read
 * can only fail to skip (the check under the lease then decides), never skip wrongly.
 */
async function alreadyCovered(deps: SyncDeps, hint: MailboxHint): Promise<boolean> {
  const account = await deps.accounts.get(hint.accountId);
  return account !== null && coveredBy(account.value.status, hint);
}

/**
 * The wait a polled account's server asked for with its refusal (a `throttled` SyncError that
 * carries `retryAfterMs`, as EWS's ErrorServerBusy with BackOffMilliseconds does); null for
 * anything else. A pushed (Graph) account keeps the queue's retry: its adapter already waited
 * out Retry-After, and a notification would not come again.
 */
function serverBackOff(deps: SyncDeps, error: unknown): number | null {
  if (deps.exchange.subscriptions !== undefined || !isSyncError(error, 'throttled')) return null;
  const wait = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof wait === 'number' && Number.isFinite(wait) && wait >= 0 ? wait : null;
}

function skipped(reason: string): WorkResult {
  return { outcome: 'skipped', reason, tally: emptyTally() };
}
