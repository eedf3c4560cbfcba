import { randomBytes } from 'node:crypto';
import { isSyncError } from '../errors.js';
import type { QueueMessage } from '../queue-message.js';
import type { AccountSession } from './account-session.js';
import { sweepCrm } from './crm-sweep.js';
import type { SyncDeps } from './deps.js';
import { runDeltaRound } from './exchange-round.js';
import { addTally, emptyTally, type SyncTally } from './outcome.js';

type Task = Extract<QueueMessage, { kind: 'accountTask' }>['task'];

/** Graph's cap for Outlook contact subscriptions is 10,080 minutes; stay an hour below it. */
export const SUBSCRIPTION_LIFETIME_MINUTES = 10_080 - 60;

/**
 * Subscription lifecycle and (re)sync work for one account (DESIGN sections 2 and 8). The
 * subscription watches the mailbox's contacts; reconcile's delta rounds cover every folder,
 * so a change a notification did not announce is still picked up.
 */
export async function runAccountTask(
  deps: SyncDeps,
  session: AccountSession,
  task: Task,
  targetFolderId: string,
): Promise<SyncTally> {
  const tally = emptyTally();
  switch (task) {
    case 'connect':
      if (!session.account.subscription) await createSubscription(deps, session);
      return fullSync(deps, session, targetFolderId);
    case 'renewSubscription':
      await renewSubscription(deps, session);
      return tally;
    case 'recreateSubscription':
      await removeSubscription(deps, session);
      await createSubscription(deps, session);
      return fullSync(deps, session, targetFolderId);
    case 'resync':
      return fullSync(deps, session, targetFolderId);
    case 'removeSubscription':
      await removeSubscription(deps, session);
      return tally;
  }
}

async function fullSync(deps: SyncDeps, session: AccountSession, targetFolderId: string): Promise<SyncTally> {
  const tally = await runDeltaRound(deps, session, targetFolderId);
  return addTally(tally, await sweepCrm(deps, session, targetFolderId, true));
}

export function expiryFrom(now: Date): string {
  return new Date(now.getTime() + SUBSCRIPTION_LIFETIME_MINUTES * 60_000).toISOString();
}

async function createSubscription(deps: SyncDeps, session: AccountSession): Promise<void> {
  const base = deps.settings.publicBaseUrl;
  const clientState = randomBytes(24).toString('base64url');
  const created = await deps.exchange.createSubscription({
    mailbox: session.mailbox,
    notificationUrl: `${base}/api/graph/notifications`,
    lifecycleNotificationUrl: `${base}/api/graph/lifecycle`,
    clientState,
    expirationDateTime: expiryFrom(deps.wallClock.now()),
  });
  await session.update((a) => ({
    ...a,
    subscription: {
      id: created.id,
      expirationDateTime: created.expirationDateTime,
      clientState,
      resource: created.resource,
    },
  }));
}

/**
 * Reconcile's check that the account has a subscription Graph still knows: a
 * `subscriptionRemoved` lifecycle event can be lost like any notification, Graph deletes an
 * expired subscription without a word, and a `connect` that met an unavailable mailbox never
 * made one. In each case nothing else would notice, so reconcile (re)creates it.
 */
export async function ensureSubscriptionExists(deps: SyncDeps, session: AccountSession): Promise<void> {
  const current = session.account.subscription;
  if (current && (await deps.exchange.getSubscription(current.id))) return;
  if (current) await session.update((a) => ({ ...a, subscription: null }));
  await createSubscription(deps, session);
}

async function renewSubscription(deps: SyncDeps, session: AccountSession): Promise<void> {
  const current = session.account.subscription;
  if (!current) return createSubscription(deps, session);
  try {
    const renewed = await deps.exchange.renewSubscription(current.id, expiryFrom(deps.wallClock.now()));
    await session.update((a) => ({
      ...a,
      subscription: a.subscription
        ? { ...a.subscription, expirationDateTime: renewed.expirationDateTime }
        : a.subscription,
    }));
  } catch (error) {
    if (!isSyncError(error, 'notFound')) throw error;
    // Graph removed it (expired or deleted): make a new one and catch up by delta.
    await session.update((a) => ({ ...a, subscription: null }));
    await createSubscription(deps, session);
  }
}

async function removeSubscription(deps: SyncDeps, session: AccountSession): Promise<void> {
  const current = session.account.subscription;
  if (!current) return;
  try {
    await deps.exchange.deleteSubscription(current.id);
  } catch (error) {
    if (!isSyncError(error, 'notFound')) throw error;
  }
  await session.update((a) => ({ ...a, subscription: null }));
}
