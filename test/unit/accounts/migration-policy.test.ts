import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MigrationState } from '../../../shared/accounts/account.js';
import { endOfBerlinDay, startOfBerlinDay } from '../../../shared/accounts/migration-instants.js';
import {
  bannerFor,
  DEFAULT_MIGRATION_INSTANTS,
  type MigrationInstants,
  migrationState,
  migrationView,
  syncAllowed,
} from '../../../shared/accounts/migration-policy.js';
import { newAccount } from '../../../shared/accounts/new-account.js';

const FC_RUNS = Number(process.env.FC_RUNS ?? 200);
const I = DEFAULT_MIGRATION_INSTANTS;
const RANK: Record<MigrationState, number> = {
  ok: -1,
  migrationRequired: 0,
  migrationOverdue: 1,
  syncStopped: 2,
};
const at = (iso: string) => new Date(iso);

describe('migration instants', () => {
  it('derive the documented UTC instants from the Berlin calendar dates', () => {
    expect(I.deadline.toISOString()).toBe('2025-07-18T22:00:00.000Z');
    expect(I.shutdown.toISOString()).toBe('2025-07-31T22:00:00.000Z');
  });

  it('follow the Berlin offset: +1 h in winter, +2 h in summer', () => {
    expect(startOfBerlinDay(2025, 1, 15).toISOString()).toBe('2025-01-14T23:00:00.000Z');
    expect(endOfBerlinDay(2025, 3, 29).toISOString()).toBe('2025-03-29T23:00:00.000Z'); // 00:00 CET on 30.03
    expect(endOfBerlinDay(2025, 3, 30).toISOString()).toBe('2025-03-30T22:00:00.000Z'); // 00:00 CEST on 31.03
    expect(endOfBerlinDay(2025, 10, 25).toISOString()).toBe('2025-10-25T22:00:00.000Z');
    expect(endOfBerlinDay(2025, 10, 26).toISOString()).toBe('2025-10-26T23:00:00.000Z');
    expect(endOfBerlinDay(2025, 12, 31).toISOString()).toBe('2025-12-31T23:00:00.000Z'); // month rollover
  });
});

describe('migrationState', () => {
  it.each([
    ['2025-07-18T21:59:59Z', 'migrationRequired'],
    ['2025-07-18T22:00:00Z', 'migrationOverdue'],
    ['2025-07-31T21:59:59Z', 'migrationOverdue'],
    ['2025-07-31T22:00:00Z', 'syncStopped'],
  ] as const)('v2 at %s is %s, v3 is ok', (instant, expected) => {
    expect(migrationState('v2', at(instant), I)).toBe(expected);
    expect(migrationState('v3', at(instant), I)).toBe('ok');
  });

  it('changes exactly at both instants (±1 ms)', () => {
    const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);
    expect(migrationState('v2', ms(I.deadline, -1), I)).toBe('migrationRequired');
    expect(migrationState('v2', ms(I.deadline, 0), I)).toBe('migrationOverdue');
    expect(migrationState('v2', ms(I.shutdown, -1), I)).toBe('migrationOverdue');
    expect(migrationState('v2', ms(I.shutdown, 0), I)).toBe('syncStopped');
  });

  const instantArb = fc.date({
    min: at('2024-01-01T00:00:00Z'),
    max: at('2027-01-01T00:00:00Z'),
    noInvalidDate: true,
  });

  it('is monotone in time for v2 accounts', () => {
    fc.assert(
      fc.property(instantArb, instantArb, (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        return RANK[migrationState('v2', early, I)] <= RANK[migrationState('v2', late, I)];
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('is always ok for v3 accounts, and only syncStopped stops the sync', () => {
    fc.assert(
      fc.property(instantArb, (now) => {
        expect(migrationState('v3', now, I)).toBe('ok');
        const v2 = migrationState('v2', now, I);
        expect(syncAllowed(v2)).toBe(v2 !== 'syncStopped');
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('switches at Berlin midnight across the 2025 DST changes (custom instants)', () => {
    // 30.03.2025: 02:00 CET → 03:00 CEST; 26.10.2025: 03:00 CEST → 02:00 CET.
    const custom: MigrationInstants = {
      deadline: endOfBerlinDay(2025, 3, 30),
      shutdown: startOfBerlinDay(2025, 10, 27),
    };
    expect(custom.deadline.toISOString()).toBe('2025-03-30T22:00:00.000Z');
    expect(custom.shutdown.toISOString()).toBe('2025-10-26T23:00:00.000Z');
    const offsetMs = fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 });
    fc.assert(
      fc.property(offsetMs, (offset) => {
        const nearDeadline = new Date(custom.deadline.getTime() + offset);
        const nearShutdown = new Date(custom.shutdown.getTime() + offset);
        expect(migrationState('v2', nearDeadline, custom)).toBe(
          offset < 0 ? 'migrationRequired' : 'migrationOverdue',
        );
        expect(migrationState('v2', nearShutdown, custom)).toBe(
          offset < 0 ? 'migrationOverdue' : 'syncStopped',
        );
      }),
      { numRuns: FC_RUNS },
    );
    const banner = bannerFor('migrationRequired', { accountId: 'a', email: 'x@y.de', instants: custom });
    expect(banner?.text.de).toContain('bis zum 30.03.2025');
    expect(banner?.text.de).toContain('ab dem 27.10.2025');
  });
});

describe('bannerFor', () => {
  const subject = { accountId: 'acc/1', email: 'anna@example.de', instants: I };

  it('shows nothing for ok accounts', () => {
    expect(bannerFor('ok', subject)).toBeNull();
  });

  it('asks to migrate before the deadline, with the help page wording and dates', () => {
    const banner = bannerFor('migrationRequired', subject);
    expect(banner?.severity).toBe('warning');
    expect(banner?.text.de).toContain(
      'Bitte migrieren Sie Ihr E-Mail-Konto anna@example.de bis zum 18.07.2025 zu V3.',
    );
    expect(banner?.text.de).toContain('ab dem 01.08.2025 nicht mehr');
    expect(banner?.text.en).toContain('by 18.07.2025');
    expect(banner?.action).toEqual({ label: 'Zu V3 migrieren', href: '/api/accounts/acc%2F1/migrate' });
  });

  it.each(['migrationOverdue', 'syncStopped'] as const)('is critical when %s', (state) => {
    const banner = bannerFor(state, subject);
    expect(banner?.severity).toBe('critical');
    expect(banner?.text.de).toContain('01.08.2025');
    expect(banner?.text.en).toContain('01.08.2025');
    expect(banner?.action.label).toBe('Zu V3 migrieren');
  });

  it('says the deadline passed when overdue and that sync stopped when stopped', () => {
    expect(bannerFor('migrationOverdue', subject)?.text.de).toContain('am 18.07.2025 abgelaufen');
    expect(bannerFor('syncStopped', subject)?.text.de).toContain('nicht mehr synchronisiert');
  });
});

describe('migrationView', () => {
  it('is the migration object of GET /api/accounts/{id}, computed from now', () => {
    const account = newAccount(
      { email: 'a@example.de', syncVersion: 'v2' },
      { id: 'a1', now: at('2025-07-01T00:00:00Z'), instants: I },
    );
    const view = migrationView(account, at('2025-08-02T00:00:00Z'), I);
    expect(view).toEqual({
      state: 'syncStopped',
      deadline: '2025-07-18T22:00:00.000Z',
      shutdown: '2025-07-31T22:00:00.000Z',
      banner: bannerFor('syncStopped', { accountId: 'a1', email: 'a@example.de', instants: I }),
    });
    expect(migrationView({ ...account, syncVersion: 'v3' }, at('2025-08-02T00:00:00Z'), I).banner).toBeNull();
  });
});
