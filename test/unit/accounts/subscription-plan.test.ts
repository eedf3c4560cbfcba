import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts/account.js';
import { DEFAULT_MIGRATION_INSTANTS as I } from '../../../shared/accounts/migration-policy.js';
import { newAccount } from '../../../shared/accounts/new-account.js';
import {
  GRAPH_MAX_SUBSCRIPTION_MINUTES,
  lifecycleAction,
  planSubscription,
  subscriptionExpiry,
} from '../../../shared/accounts/subscription-plan.js';

const FC_RUNS = Number(process.env.FC_RUNS ?? 200);
const now = new Date('2025-07-01T12:00:00Z');
const HOUR = 3_600_000;
const account = (syncVersion: 'v2' | 'v3', expiresInMs: number | null): Account => ({
  ...newAccount({ email: 'a@example.de', syncVersion }, { id: 'a1', now, instants: I }),
  subscription:
    expiresInMs === null
      ? null
      : {
          id: 's1',
          clientState: 'cs',
          resource: 'users/a1/contacts',
          expirationDateTime: new Date(now.getTime() + expiresInMs).toISOString(),
        },
});

describe('planSubscription', () => {
  it.each([
    ['v3 without subscription', account('v3', null), 'create'],
    ['v3 expiring in 6 days', account('v3', 6 * 24 * HOUR), 'none'],
    ['v3 expiring in 25 h', account('v3', 25 * HOUR), 'none'],
    ['v3 expiring in exactly 24 h', account('v3', 24 * HOUR), 'renew'],
    ['v3 expiring in 1 h', account('v3', HOUR), 'renew'],
    ['v3 expired a minute ago (Graph deleted it)', account('v3', -60_000), 'create'],
    ['v2 before the shutdown without subscription (still syncing)', account('v2', null), 'create'],
    ['v2 before the shutdown expiring in 1 h', account('v2', HOUR), 'renew'],
  ] as const)('%s → %s', (_name, subject, kind) => {
    expect(planSubscription(subject, now).kind).toBe(kind);
  });

  it('never touches a stopped account', () => {
    const stopped = account('v3', HOUR);
    stopped.migration = { ...stopped.migration, state: 'syncStopped' };
    expect(planSubscription(stopped, now)).toEqual({ kind: 'none' });
  });

  it('recreates a subscription whose expiry cannot be read', () => {
    const broken = account('v3', HOUR);
    broken.subscription = { ...broken.subscription!, expirationDateTime: 'tomorrow' };
    expect(planSubscription(broken, now)).toEqual({ kind: 'create' });
  });

  it('renews to now + lifetime (default an hour under the cap)', () => {
    expect(planSubscription(account('v3', HOUR), now)).toEqual({
      kind: 'renew',
      expirationDateTime: new Date(
        now.getTime() + (GRAPH_MAX_SUBSCRIPTION_MINUTES - 60) * 60_000,
      ).toISOString(),
    });
    expect(planSubscription(account('v3', HOUR), now, { renewBeforeMs: 10 * 60_000 })).toEqual({
      kind: 'none',
    });
  });

  it('never asks for more than 10,080 minutes, whatever the options', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.oneof(fc.integer({ min: -100, max: 100_000 }), fc.double({ noNaN: false })),
        fc.integer({ min: 0, max: 30 * 24 * HOUR }),
        (at, lifetimeMinutes, renewBeforeMs) => {
          const capMs = at.getTime() + GRAPH_MAX_SUBSCRIPTION_MINUTES * 60_000;
          const expiry = Date.parse(subscriptionExpiry(at, lifetimeMinutes));
          expect(expiry).toBeLessThanOrEqual(capMs);
          expect(expiry).toBeGreaterThan(at.getTime());
          const subject = { ...account('v3', null), subscription: account('v3', HOUR).subscription };
          const plan = planSubscription(subject, at, { lifetimeMinutes, renewBeforeMs });
          if (plan.kind === 'renew') expect(Date.parse(plan.expirationDateTime)).toBeLessThanOrEqual(capMs);
        },
      ),
      { numRuns: FC_RUNS },
    );
  });
});

describe('lifecycleAction', () => {
  it.each([
    ['reauthorizationRequired', 'renew'],
    ['subscriptionRemoved', 'recreateAndResync'],
    ['missed', 'resync'],
  ] as const)('%s → %s', (event, action) => {
    expect(lifecycleAction(event)).toBe(action);
  });
});
