import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts/account.js';
import {
  DEFAULT_MIGRATION_INSTANTS as I,
  planMigrationCutoff,
} from '../../../shared/accounts/migration-policy.js';
import { newAccount } from '../../../shared/accounts/new-account.js';

const FC_RUNS = Number(process.env.FC_RUNS ?? 200);
const at = (iso: string) => new Date(iso);
const registered = (syncVersion: 'v2' | 'v3', when = '2025-06-01T10:00:00Z') =>
  newAccount({ email: 'max@example.de', syncVersion }, { id: 'acc-1', now: at(when), instants: I });

describe('planMigrationCutoff', () => {
  it('changes nothing while the state holds', () => {
    const plan = planMigrationCutoff(registered('v2'), at('2025-07-10T00:00:00Z'), I);
    expect(plan).toMatchObject({ changed: false, transition: null, stopSync: false });
  });

  it('moves to overdue at the deadline with one history entry and a critical banner', () => {
    const plan = planMigrationCutoff(registered('v2'), at('2025-07-18T22:00:00Z'), I);
    expect(plan.changed).toBe(true);
    expect(plan.transition).toEqual({ from: 'migrationRequired', to: 'migrationOverdue' });
    expect(plan.stopSync).toBe(false);
    expect(plan.account.migration.state).toBe('migrationOverdue');
    expect(plan.account.migration.banner?.severity).toBe('critical');
    expect(plan.account.migration.history.at(-1)).toEqual({
      at: '2025-07-18T22:00:00.000Z',
      from: 'migrationRequired',
      to: 'migrationOverdue',
    });
  });

  it('catches up after days without a run: straight to syncStopped, one entry, stopSync once', () => {
    const first = planMigrationCutoff(registered('v2'), at('2025-08-05T08:00:00Z'), I);
    expect(first.transition).toEqual({ from: 'migrationRequired', to: 'syncStopped' });
    expect(first.stopSync).toBe(true);
    expect(first.account.migration.history).toHaveLength(2);
    const second = planMigrationCutoff(first.account, at('2025-08-06T08:00:00Z'), I);
    expect(second).toMatchObject({ changed: false, stopSync: false, transition: null });
  });

  it('clears the banner when a stopped account has migrated to V3', () => {
    const stopped = planMigrationCutoff(registered('v2'), at('2025-08-05T08:00:00Z'), I).account;
    const plan = planMigrationCutoff({ ...stopped, syncVersion: 'v3' }, at('2025-08-10T08:00:00Z'), I);
    expect(plan.transition).toEqual({ from: 'syncStopped', to: 'ok' });
    expect(plan.stopSync).toBe(false);
    expect(plan.account.migration.banner).toBeNull();
  });

  it('rewrites a stale banner (e.g. other instants) without a history entry', () => {
    const account = registered('v2');
    const moved = { deadline: at('2025-09-30T22:00:00Z'), shutdown: at('2025-10-31T23:00:00Z') };
    const plan = planMigrationCutoff(account, at('2025-07-01T00:00:00Z'), moved);
    expect(plan).toMatchObject({ changed: true, transition: null, stopSync: false });
    expect(plan.account.migration.banner?.text.de).toContain('bis zum 30.09.2025');
    expect(plan.account.migration.history).toEqual(account.migration.history);
  });

  const runTimes = fc.array(
    fc.date({ min: at('2025-06-01T00:00:00Z'), max: at('2025-09-01T00:00:00Z'), noInvalidDate: true }),
    { minLength: 1, maxLength: 12 },
  );

  it('is a no-op when applied twice at the same instant', () => {
    fc.assert(
      fc.property(fc.constantFrom('v2', 'v3' as const), runTimes, (version, times) => {
        let account: Account = registered(version as 'v2' | 'v3');
        for (const now of times) {
          account = planMigrationCutoff(account, now, I).account;
          const again = planMigrationCutoff(account, now, I);
          expect(again.changed).toBe(false);
          expect(again.account).toBe(account);
        }
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('never records duplicate transitions and stops sync at most once, for timers run in order', () => {
    fc.assert(
      fc.property(runTimes, (times) => {
        let account: Account = registered('v2');
        let stops = 0;
        for (const now of [...times].sort((a, b) => a.getTime() - b.getTime())) {
          const plan = planMigrationCutoff(account, now, I);
          if (plan.stopSync) stops++;
          account = plan.account;
        }
        const history = account.migration.history;
        const keys = history.map((entry) => `${entry.from}->${entry.to}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const entry of history) expect(entry.from).not.toBe(entry.to);
        history.slice(1).forEach((entry, i) => {
          expect(entry.from).toBe(history[i]!.to);
        });
        expect(stops).toBe(account.migration.state === 'syncStopped' ? 1 : 0);
      }),
      { numRuns: FC_RUNS },
    );
  });
});
