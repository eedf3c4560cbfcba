import type { PendingCreate } from '../accounts/account.js';
import type { AccountSession } from './account-session.js';
import type { SyncDeps } from './deps.js';
import { executePlan } from './execute.js';
import type { LogEntry } from './link.js';
import { addTally, emptyTally, type SyncTally, tallyOf } from './outcome.js';
import type { PairPlan } from './plan.js';

/**
 * How many contacts of a batch (a delta page, a session's pushes) are planned and written at
 * once. More than Outlook's 4 concurrent requests: the CRM and mirror calls around each Graph
 * call do not count against it, and the Graph adapter's scheduler holds a mailbox to 4 anyway.
 */
export const CONTACT_CONCURRENCY = 8;

/** Creates per chunk: the pending ledger of one chunk must fit in the account row (64 KiB per property). */
export const CREATE_CHUNK = 40;

/** Runs `chunk` on consecutive slices of `items`, one after another, adding up their tallies. */
export async function tallyInChunks<T>(
  items: readonly T[],
  chunk: (slice: T[]) => Promise<SyncTally>,
): Promise<SyncTally> {
  const tally = emptyTally();
  for (let i = 0; i < items.length; i += CREATE_CHUNK) {
    addTally(tally, await chunk(items.slice(i, i + CREATE_CHUNK)));
  }
  return tally;
}

/** What a chunk's work gets from `inLedgerBracket`. */
export interface BracketedChunk {
  /** Carries out one plan of the chunk; its tally is added, a finished create leaves the ledger. */
  execute(plan: PairPlan): Promise<void>;
  /** A create that failed for good (it must not be resumed): it leaves the ledger too. */
  giveUp(plan: PairPlan): void;
}

/**
 * Runs a chunk's plans with their creates bracketed by the pending-create ledger as one batch
 * (two account writes per chunk, not per contact) and their action-log lines written in one
 * transaction. A create that was interrupted stays in the ledger, so the next message resumes
 * it with the same idempotency key or ownership marker (DESIGN section 9, rule 4).
 */
export async function inLedgerBracket(
  deps: SyncDeps,
  session: AccountSession,
  targetFolderId: string,
  plans: readonly PairPlan[],
  work: (chunk: BracketedChunk) => Promise<void>,
): Promise<SyncTally> {
  const tally = emptyTally();
  const at = deps.clock.now().toISOString();
  await session.beginCreates(plans.flatMap((plan) => pendingCreateOf(plan, at)));
  const finished: string[] = [];
  const logSink: LogEntry[] = [];
  const leave = (plan: PairPlan) => {
    if (plan.kind === 'createInCrm' || plan.kind === 'createInExchange') finished.push(plan.linkId);
  };
  await work({
    async execute(plan) {
      await executePlan(plan, { deps, session, targetFolderId, trackPending: false, logSink });
      addTally(tally, tallyOf(plan));
      leave(plan);
    },
    giveUp: leave,
  });
  if (logSink.length > 0) await deps.mirror.appendLog(session.account.id, logSink);
  await session.endCreates(finished);
  return tally;
}

function pendingCreateOf(plan: PairPlan, at: string): PendingCreate[] {
  if (plan.kind === 'createInExchange')
    return [{ side: 'exchange', sourceId: plan.crm.id, linkId: plan.linkId, at }];
  if (plan.kind === 'createInCrm')
    return [{ side: 'crm', sourceId: plan.exchange.id, linkId: plan.linkId, at }];
  return [];
}
