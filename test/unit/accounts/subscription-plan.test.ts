import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts/account.js';
import { DEFAULT_MIGRATION_INSTANTS as I } from '../../../shared/accounts/migration-policy.js';
import { newAccount } from '../../../shared/accounts/new-account.js';
import {
  GRAPH_MAX_SUBSCRIPTION_MINUTES,
  lifecycleAction,
  planReauthorization,
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

describe('the subscription cap as a setting (GRAPH_SUBSCRIPTION_MAX_MINUTES)', () => {
  it('under the older 4,230-minute cap: asks for an hour less and renews a day ahead', () => {
    expect(planSubscription(account('v3', 23 * HOUR), now, { maxMinutes: 4_230 })).toEqual({
      kind: 'renew',
      expirationDateTime: new Date(now.getTime() + (4_230 - 60) * 60_000).toISOString(),
    });
    expect(planSubscription(account('v3', 25 * HOUR), now, { maxMinutes: 4_230 }).kind).toBe('none');
  });

  it('under a short cap renews at half the lifetime, so a 6-hourly timer still makes it', () => {
    // 120 minutes: the whole cap is asked for, renewed in the last hour.
    expect(planSubscription(account('v3', 59 * 60_000), now, { maxMinutes: 120 }).kind).toBe('renew');
    expect(planSubscription(account('v3', 61 * 60_000), now, { maxMinutes: 120 }).kind).toBe('none');
  });

  it('never asks beyond the cap given', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 45, max: 50_000 }),
        fc.integer({ min: -10, max: 100_000 }),
        (cap, life) => {
          const expiry = Date.parse(subscriptionExpiry(now, life, cap));
          expect(expiry).toBeLessThanOrEqual(now.getTime() + cap * 60_000);
          expect(expiry).toBeGreaterThan(now.getTime());
        },
      ),
      { numRuns: FC_RUNS },
    );
  });
});

describe('planReauthorization (reauthorizationRequired pauses delivery)', () => {
  it('reauthorizes a subscription far from its expiry', () => {
    expect(planReauthorization(account('v3', 5 * 24 * HOUR), now)).toEqual({ kind: 'reauthorize' });
  });

  it('renews one close to its expiry (a PATCH reauthorizes too)', () => {
    expect(planReauthorization(account('v3', HOUR), now).kind).toBe('renew');
  });

  it('creates one that is gone or expired', () => {
    expect(planReauthorization(account('v3', null), now)).toEqual({ kind: 'create' });
    expect(planReauthorization(account('v3', -60_000), now)).toEqual({ kind: 'create' });
  });
});

describe('lifecycleAction', () => {
  it.each([
    ['reauthorizationRequired', 'reauthorize'],
    ['subscriptionRemoved', 'recreateAndResync'],
    ['missed', 'resync'],
  ] as const)('%s → %s', (event, action) => {
    expect(lifecycleAction(event)).toBe(action);
  });
});
