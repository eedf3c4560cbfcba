import { type Account, REMOVAL_STEPS, type RemovalStep } from '../accounts/account.js';
import { isSyncError, SyncError } from '../errors.js';
import type { MailDeps } from '../mail-sync/deps.js';
import { MAIL_LEASE_MS } from '../mail-sync/mail-round.js';
import type { Stored } from '../ports.js';
import type { QueueMessage } from '../queue-message.js';
import type { SyncDeps } from '../sync/deps.js';
import { ACCOUNT_LEASE_MS, HeldLease } from '../sync/lease-guard.js';
import { type RemovalBudget, removeStep } from './removal-steps.js';

/**
 * Removing an account (issue 18 item 5; `DELETE /api/accounts/{id}`), in two halves:
 *  - the request (`requestRemoval`, the HTTP route and the web app): the account is marked
 *    `removing` (from then on no worker syncs it: shared/sync/worker.ts, the mail round) and an
 *    `accountTask` `remove` is queued; the caller gets 202 at once;
 *  - the task (`runRemoval`, the `exchange-to-crm` queue, under the account's lease): the steps
 *    of `REMOVAL_STEPS` in order, each in pages (removal-steps.ts), the step it goes on at saved
 *    on the account row after each one (`removal.step`). A task cut off anywhere is redelivered
 *    and goes on at that step; each step can run again, so a step half done is finished. A task
 *    that used its page budget queues the next one and returns (one message stays short).
 * Nothing in Outlook or the CRM is deleted: removing an account stops the sync, it keeps the
 * contacts and e-mails (and the account's tag on CRM contacts) where they are.
 */
export const REMOVAL_PAGE_SIZE = 100;
export const REMOVAL_PAGES_PER_MESSAGE = 50;

export type RemovalMessage = Extract<QueueMessage, { kind: 'accountTask' }> & { task: 'remove' };

export function isRemovalTask(message: QueueMessage): message is RemovalMessage {
  return message.kind === 'accountTask' && message.task === 'remove';
}

export function removalMessage(accountId: string, at: Date, reason: string): RemovalMessage {
  return {
    v: 1,
    kind: 'accountTask',
    task: 'remove',
    accountId,
    reason,
    sessionKey: accountId,
    // One per request or continuation: a duplicate is harmless (the steps are idempotent).
    dedupeId: `remove:${accountId}:${at.toISOString()}`.slice(0, 128),
  };
}

/**
 * Marks the account `removing` (once; a second request keeps the first one's state) and queues
 * its removal task. Answers the account as marked; null when it is gone (already removed).
 */
export async function requestRemoval(deps: SyncDeps, accountId: string): Promise<Account | null> {
  const now = deps.clock.now();
  for (let attempt = 0; ; attempt++) {
    const stored = await deps.accounts.get(accountId);
    if (!stored) return null;
    let account = stored.value;
    try {
      if (!account.removal) {
        account = {
          ...account,
          removal: { state: 'removing', requestedAt: now.toISOString(), step: 'subscriptions' },
        };
        await deps.accounts.put(account, stored.etag);
      }
    } catch (error) {
      // A worker wrote the account meanwhile: read it again (its write kept nothing of ours).
      if (isSyncError(error, 'conflict') && attempt < 4) continue;
      throw error;
    }
    await deps.queue.send('exchange-to-crm', removalMessage(accountId, now, 'removal requested'));
    return account;
  }
}

export interface RemovalResult {
  outcome: 'removed' | 'continued' | 'skipped';
  reason: string;
}

export interface RemovalOptions {
  pageSize?: number;
  pagesPerMessage?: number;
}

/** The removal task: see the file comment. Throwing means "deliver again" (it goes on where it was). */
export async function runRemoval(
  deps: SyncDeps | MailDeps,
  accountId: string,
  options: RemovalOptions = {},
): Promise<RemovalResult> {
  // The account's lease (the sync workers) and its mail lease (a mail round takes only that one,
  // mail-round.ts): no worker of the account writes while its data is removed.
  const lease = await acquireLease(deps, `account:${accountId}`, ACCOUNT_LEASE_MS);
  const mailLease = await acquireLease(deps, `mail:${accountId}`, MAIL_LEASE_MS).catch(
    async (error: unknown) => {
      await lease.release().catch(() => undefined);
      throw error;
    },
  );
  try {
    let stored = await deps.accounts.get(accountId);
    if (!stored) return { outcome: 'skipped', reason: `account ${accountId} is already removed` };
    const removal = stored.value.removal;
    if (!removal) return { outcome: 'skipped', reason: `account ${accountId} is not being removed` };
    const budget: RemovalBudget = {
      pageSize: options.pageSize ?? REMOVAL_PAGE_SIZE,
      pagesLeft: options.pagesPerMessage ?? REMOVAL_PAGES_PER_MESSAGE,
      check: async () => {
        await lease.check();
        await mailLease.check();
      },
    };
    for (const step of REMOVAL_STEPS.slice(REMOVAL_STEPS.indexOf(removal.step))) {
      const outcome = await removeStep(deps, stored, step, budget);
      if (outcome.kind === 'unfinished') {
        await deps.queue.send(
          'exchange-to-crm',
          removalMessage(accountId, deps.clock.now(), `removal: ${step}`),
        );
        return { outcome: 'continued', reason: `page budget used in step ${step}; the next task goes on` };
      }
      if (step === 'row') break;
      stored = await checkpoint(deps, outcome.account, nextStep(step), lease);
    }
    return { outcome: 'removed', reason: `account ${accountId} removed` };
  } finally {
    await mailLease.release().catch(() => undefined);
    await lease.release().catch(() => undefined);
  }
}

function nextStep(step: RemovalStep): RemovalStep {
  const next = REMOVAL_STEPS[REMOVAL_STEPS.indexOf(step) + 1];
  if (!next) throw new Error(`no step after ${step}`);
  return next;
}

/** Saves the step the removal goes on at (with what the step changed on the row). */
async function checkpoint(
  deps: SyncDeps,
  stored: Stored<Account>,
  step: RemovalStep,
  lease: HeldLease,
): Promise<Stored<Account>> {
  const removal = stored.value.removal;
  if (!removal) throw new Error(`account ${stored.value.id} lost its removal mark`);
  const value: Account = { ...stored.value, removal: { ...removal, step } };
  await lease.check();
  return { value, etag: await deps.accounts.put(value, stored.etag) };
}

async function acquireLease(deps: SyncDeps, key: string, ttlMs: number): Promise<HeldLease> {
  const deadline = Date.now() + deps.settings.leaseWaitMs;
  for (;;) {
    const lease = await deps.lease.acquire(key, ttlMs);
    if (lease) return new HeldLease(lease, key, ttlMs, deps.clock);
    if (Date.now() > deadline)
      throw new SyncError(
        'transient',
        'AccountBusy',
        `another worker holds the lease ${key}; the removal waits`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
