import { randomBytes } from 'node:crypto';
import {
  GRAPH_MAX_SUBSCRIPTION_MINUTES,
  lifetimeUnder,
  planReauthorization,
  type SubscriptionPlanOptions,
  subscriptionExpiry,
} from '../accounts/subscription-plan.js';
import { isSyncError } from '../errors.js';
import type { ContactSubscriptions } from '../ports.js';
import type { QueueMessage } from '../queue-message.js';
import type { AccountSession } from './account-session.js';
import { sweepCrm } from './crm-sweep.js';
import type { SyncDeps } from './deps.js';
import { runDeltaRound } from './exchange-round.js';
import { addTally, emptyTally, type SyncTally } from './outcome.js';

type Task = Extract<QueueMessage, { kind: 'accountTask' }>['task'];

/**
 * Subscription lifecycle and (re)sync work for one account (DESIGN sections 2 and 8). The
 * subscription watches the mailbox's contacts; reconcile's delta rounds cover every folder,
 * so a change a notification did not announce is still picked up. Whenever a subscription had
 * to be made again, notifications were lost in between: a delta round follows.
 *
 * An account whose adapter has no subscriptions (EWS: polled, ports.ts) makes, renews and
 * removes none: `connect`, `recreateSubscription` and `resync` are its full sync, a renewal or
 * reauthorization changes nothing (the polling timer queues its rounds).
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
      // Also the renewal timer's answer to an expired subscription: Graph deleted it silently.
      await ensureSubscriptionExists(deps, session);
      return fullSync(deps, session, targetFolderId);
    case 'renewSubscription':
      if (!pushed(deps)) return tally;
      if (await renewSubscription(deps, session)) return runDeltaRound(deps, session, targetFolderId);
      return tally;
    case 'reauthorize':
      if (!pushed(deps)) return tally;
      // Graph paused delivery until now: what it held back may never come, so a delta round.
      await reauthorizeSubscription(deps, session);
      return runDeltaRound(deps, session, targetFolderId);
    case 'recreateSubscription':
      if (pushed(deps)) {
        await removeSubscription(deps, session);
        await createSubscription(deps, session);
      }
      return fullSync(deps, session, targetFolderId);
    case 'resync':
      return fullSync(deps, session, targetFolderId);
    case 'removeSubscription':
      await removeSubscription(deps, session);
      return tally;
    case 'remove':
      // The account's removal is not a sync task: handleMessage refuses it before any lease.
      throw new Error('account removal runs in shared/service/remove-account.ts, not as a sync task');
  }
}

async function fullSync(deps: SyncDeps, session: AccountSession, targetFolderId: string): Promise<SyncTally> {
  const tally = await runDeltaRound(deps, session, targetFolderId);
  return addTally(tally, await sweepCrm(deps, session, targetFolderId, true));
}

/** Whether the account's adapter pushes changes (Graph) rather than being polled (EWS). */
function pushed(deps: SyncDeps): boolean {
  return deps.exchange.subscriptions !== undefined;
}

/** The account's subscriptions; only called where `pushed` holds. */
function subscriptionsOf(deps: SyncDeps): ContactSubscriptions {
  const subscriptions = deps.exchange.subscriptions;
  if (!subscriptions) throw new Error('a polled account has no subscriptions');
  return subscriptions;
}

/** The subscription limits of the settings (GRAPH_SUBSCRIPTION_MAX_MINUTES). */
export function subscriptionOptions(deps: SyncDeps): SubscriptionPlanOptions {
  return { maxMinutes: deps.settings.subscriptionMaxMinutes ?? GRAPH_MAX_SUBSCRIPTION_MINUTES };
}

function expiryFrom(deps: SyncDeps): string {
  const maxMinutes = subscriptionOptions(deps).maxMinutes ?? GRAPH_MAX_SUBSCRIPTION_MINUTES;
  return subscriptionExpiry(deps.wallClock.now(), lifetimeUnder(maxMinutes), maxMinutes);
}

async function createSubscription(deps: SyncDeps, session: AccountSession): Promise<void> {
  const base = deps.settings.publicBaseUrl;
  const clientState = randomBytes(24).toString('base64url');
  const created = await subscriptionsOf(deps).createSubscription({
    mailbox: session.mailbox,
    notificationUrl: `${base}/api/graph/notifications`,
    lifecycleNotificationUrl: `${base}/api/graph/lifecycle`,
    clientState,
    expirationDateTime: expiryFrom(deps),
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
 * Answers whether it had to make one. A polled account (no subscriptions) never needs one.
 */
export async function ensureSubscriptionExists(deps: SyncDeps, session: AccountSession): Promise<boolean> {
  if (!pushed(deps)) return false;
  const current = session.account.subscription;
  if (current && (await subscriptionsOf(deps).getSubscription(current.id))) return false;
  if (current) await session.update((a) => ({ ...a, subscription: null }));
  await createSubscription(deps, session);
  return true;
}

/** Renews the subscription; answers true when it had to be created again (it was gone). */
async function renewSubscription(deps: SyncDeps, session: AccountSession): Promise<boolean> {
  const current = session.account.subscription;
  if (!current) {
    await createSubscription(deps, session);
    return true;
  }
  try {
    const renewed = await subscriptionsOf(deps).renewSubscription(current.id, expiryFrom(deps));
    await session.update((a) => ({
      ...a,
      subscription: a.subscription
        ? { ...a.subscription, expirationDateTime: renewed.expirationDateTime }
        : a.subscription,
    }));
    return false;
  } catch (error) {
    if (!isSyncError(error, 'notFound')) throw error;
    // Graph removed it (expired or deleted): make a new one; the caller catches up by delta.
    await session.update((a) => ({ ...a, subscription: null }));
    await createSubscription(deps, session);
    return true;
  }
}

/** `reauthorizationRequired`: reauthorize, or renew one close to its expiry (a PATCH does both). */
async function reauthorizeSubscription(deps: SyncDeps, session: AccountSession): Promise<void> {
  const plan = planReauthorization(session.account, deps.wallClock.now(), subscriptionOptions(deps));
  if (plan.kind !== 'reauthorize') {
    await renewSubscription(deps, session);
    return;
  }
  const current = session.account.subscription;
  if (!current) return;
  try {
    await subscriptionsOf(deps).reauthorizeSubscription(current.id);
  } catch (error) {
    if (!isSyncError(error, 'notFound')) throw error;
    await session.update((a) => ({ ...a, subscription: null }));
    await createSubscription(deps, session);
  }
}

async function removeSubscription(deps: SyncDeps, session: AccountSession): Promise<void> {
  const current = session.account.subscription;
  if (!current) return;
  if (!pushed(deps)) {
    // Left from before the account was on its own server: Graph's to expire, nothing to call.
    await session.update((a) => ({ ...a, subscription: null }));
    return;
  }
  try {
    await subscriptionsOf(deps).deleteSubscription(current.id);
  } catch (error) {
    if (!isSyncError(error, 'notFound')) throw error;
  }
  await session.update((a) => ({ ...a, subscription: null }));
}
