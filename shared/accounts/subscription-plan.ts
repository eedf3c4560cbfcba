import type { Account } from './account.js';

/**
 * When the subscriptionRenewal timer creates or renews an account's Graph subscription. Graph
 * caps subscriptions on Outlook contacts (10,080 minutes, under 7 days, in the current
 * "subscription lifetime" include of the change-notifications docs, ms.date 11/07/2024; older
 * versions said 4,230) and deletes them silently when they expire, so we renew a day ahead and
 * recreate one that has already expired. The cap is a setting (GRAPH_SUBSCRIPTION_MAX_MINUTES).
 */

export const GRAPH_MAX_SUBSCRIPTION_MINUTES = 10_080;
const MINUTE_MS = 60_000;

export interface SubscriptionPlanOptions {
  /** Renew when the subscription expires within this many milliseconds (default: a day, at most half the lifetime). */
  renewBeforeMs?: number;
  /** Requested lifetime of a new or renewed subscription; clamped to the cap. */
  lifetimeMinutes?: number;
  /** Graph's cap for contact subscriptions (GRAPH_SUBSCRIPTION_MAX_MINUTES). */
  maxMinutes?: number;
}

export const DEFAULT_RENEW_BEFORE_MS = 24 * 60 * MINUTE_MS;
/** An hour under the cap, so clock skew between us and Graph never makes a request exceed it. */
export const DEFAULT_LIFETIME_MINUTES = GRAPH_MAX_SUBSCRIPTION_MINUTES - 60;

/** The lifetime we ask for under a cap: an hour below it (the whole cap when that is two hours or less). */
export function lifetimeUnder(maxMinutes: number): number {
  return maxMinutes > 120 ? maxMinutes - 60 : maxMinutes;
}

function renewBefore(options: SubscriptionPlanOptions, lifetimeMinutes: number): number {
  return options.renewBeforeMs ?? Math.min(DEFAULT_RENEW_BEFORE_MS, (lifetimeMinutes * MINUTE_MS) / 2);
}

export type SubscriptionPlan =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'renew'; expirationDateTime: string };

/** The expirationDateTime to ask Graph for: now + lifetime, never beyond the cap, at least a minute. */
export function subscriptionExpiry(
  now: Date,
  lifetimeMinutes: number = DEFAULT_LIFETIME_MINUTES,
  maxMinutes: number = GRAPH_MAX_SUBSCRIPTION_MINUTES,
): string {
  const cap = Number.isFinite(maxMinutes) && maxMinutes >= 1 ? maxMinutes : GRAPH_MAX_SUBSCRIPTION_MINUTES;
  const minutes = Number.isFinite(lifetimeMinutes)
    ? Math.min(Math.max(lifetimeMinutes, 1), cap)
    : lifetimeUnder(cap);
  return new Date(now.getTime() + Math.floor(minutes * MINUTE_MS)).toISOString();
}

export function planSubscription(
  account: Account,
  now: Date,
  options: SubscriptionPlanOptions = {},
): SubscriptionPlan {
  const maxMinutes = options.maxMinutes ?? GRAPH_MAX_SUBSCRIPTION_MINUTES;
  const lifetimeMinutes = options.lifetimeMinutes ?? lifetimeUnder(maxMinutes);
  const renewBeforeMs = renewBefore(options, lifetimeMinutes);
  // Until the shutdown a V2 account keeps syncing (with its banner), so its subscription is
  // kept alive too; a stopped account must not be reconnected by a timer.
  if (account.migration.state === 'syncStopped') return { kind: 'none' };
  const subscription = account.subscription;
  if (!subscription) return { kind: 'create' };
  const expires = Date.parse(subscription.expirationDateTime);
  // Graph has already deleted an expired subscription (an unreadable date is treated the same way).
  if (!Number.isFinite(expires) || expires <= now.getTime()) return { kind: 'create' };
  if (expires - now.getTime() > renewBeforeMs) return { kind: 'none' };
  return { kind: 'renew', expirationDateTime: subscriptionExpiry(now, lifetimeMinutes, maxMinutes) };
}

/**
 * What to do about a `reauthorizationRequired` lifecycle event: Graph pauses delivery until the
 * app reauthorizes (`POST /subscriptions/{id}/reauthorize`) or renews (a PATCH reauthorizes
 * too). A subscription close to its expiry is renewed (one call does both); any other is
 * reauthorized; one that is gone or expired is created again.
 */
export type ReauthorizationPlan =
  | { kind: 'create' }
  | { kind: 'reauthorize' }
  | { kind: 'renew'; expirationDateTime: string };

export function planReauthorization(
  account: Account,
  now: Date,
  options: SubscriptionPlanOptions = {},
): ReauthorizationPlan {
  const plan = planSubscription(account, now, options);
  return plan.kind === 'none' ? { kind: 'reauthorize' } : plan;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
export type LifecycleAction = 'reauthorize' | 'recreateAndResync' | 'resync';

/**
 * What a Graph lifecycle notification asks us to do
 * (learn.microsoft.com/graph/change-notifications-lifecycle-events):
 * reauthorizationRequired → reauthorize or renew (planReauthorization), then a delta round for
 * what the paused delivery held back; subscriptionRemoved → the subscription is gone and changes
 * since then were not notified: recreate and resync; missed → notifications were lost: a delta
 * round.
 */
export function lifecycleAction(event: LifecycleEvent): LifecycleAction {
  switch (event) {
    case 'reauthorizationRequired':
      return 'reauthorize';
    case 'subscriptionRemoved':
      return 'recreateAndResync';
    case 'missed':
      return 'resync';
  }
}
