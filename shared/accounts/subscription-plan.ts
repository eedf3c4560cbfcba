import type { Account } from './account.js';

/**
 * When the subscriptionRenewal timer creates or renews an account's Graph subscription. Graph
 * caps subscriptions on Outlook contacts at 10,080 minutes (7 days) and deletes them when they
 * expire, so we renew a day ahead and recreate one that has already expired.
 */

export const GRAPH_MAX_SUBSCRIPTION_MINUTES = 10_080;
const MINUTE_MS = 60_000;

export interface SubscriptionPlanOptions {
  /** Renew when the subscription expires within this many milliseconds. */
  renewBeforeMs?: number;
  /** Requested lifetime of a new or renewed subscription; clamped to Graph's cap. */
  lifetimeMinutes?: number;
}

export const DEFAULT_RENEW_BEFORE_MS = 24 * 60 * MINUTE_MS;
/** An hour under the cap, so clock skew between us and Graph never makes a request exceed it. */
export const DEFAULT_LIFETIME_MINUTES = GRAPH_MAX_SUBSCRIPTION_MINUTES - 60;

export type SubscriptionPlan =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'renew'; expirationDateTime: string };

/** The expirationDateTime to ask Graph for: now + lifetime, never beyond the cap, at least a minute. */
export function subscriptionExpiry(now: Date, lifetimeMinutes: number = DEFAULT_LIFETIME_MINUTES): string {
  const minutes = Number.isFinite(lifetimeMinutes)
    ? Math.min(Math.max(lifetimeMinutes, 1), GRAPH_MAX_SUBSCRIPTION_MINUTES)
    : DEFAULT_LIFETIME_MINUTES;
  return new Date(now.getTime() + Math.floor(minutes * MINUTE_MS)).toISOString();
}

export function planSubscription(
  account: Account,
  now: Date,
  options: SubscriptionPlanOptions = {},
): SubscriptionPlan {
  const renewBeforeMs = options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS;
  const lifetimeMinutes = options.lifetimeMinutes ?? DEFAULT_LIFETIME_MINUTES;
  // Until the shutdown a V2 account keeps syncing (with its banner), so its subscription is
  // kept alive too; a stopped account must not be reconnected by a timer.
  if (account.migration.state === 'syncStopped') return { kind: 'none' };
  const subscription = account.subscription;
  if (!subscription) return { kind: 'create' };
  const expires = Date.parse(subscription.expirationDateTime);
  // Graph has already deleted an expired subscription (an unreadable date is treated the same way).
  if (!Number.isFinite(expires) || expires <= now.getTime()) return { kind: 'create' };
  if (expires - now.getTime() > renewBeforeMs) return { kind: 'none' };
  return { kind: 'renew', expirationDateTime: subscriptionExpiry(now, lifetimeMinutes) };
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
export type LifecycleAction = 'renew' | 'recreateAndResync' | 'resync';

/**
 * What a Graph lifecycle notification asks us to do
 * (learn.microsoft.com/graph/change-notifications-lifecycle-events):
 * reauthorizationRequired → renew (a PATCH reauthorizes); subscriptionRemoved → the subscription
 * is gone and changes since then were not notified: recreate and resync; missed → notifications
 * were lost: resync with a delta round.
 */
export function lifecycleAction(event: LifecycleEvent): LifecycleAction {
  switch (event) {
    case 'reauthorizationRequired':
      return 'renew';
    case 'subscriptionRemoved':
      return 'recreateAndResync';
    case 'missed':
      return 'resync';
  }
}
