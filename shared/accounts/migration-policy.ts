import type { Account, Banner, MigrationState } from './account.js';
import { bannerFor, sameBanner } from './migration-banner.js';
import type { MigrationInstants } from './migration-instants.js';

/**
 * The V2 → V3 migration policy (DESIGN section 1), pure: the clock and the instants are passed
 * in. The state is a function of (syncVersion, now) alone, so every reader (HTTP, worker, timer)
 * computes the same answer; the stored state and banner only feed the history and the UI list.
 */

export { bannerFor, MIGRATE_LABEL, migrateHref } from './migration-banner.js';
export {
  DEFAULT_MIGRATION_INSTANTS,
  type MigrationInstants,
} from './migration-instants.js';

export function migrationState(
  syncVersion: Account['syncVersion'],
  now: Date,
  instants: MigrationInstants,
): MigrationState {
  if (syncVersion === 'v3') return 'ok'; // migrating clears every banner, also after the shutdown
  const t = now.getTime();
  if (t < instants.deadline.getTime()) return 'migrationRequired';
  if (t < instants.shutdown.getTime()) return 'migrationOverdue';
  return 'syncStopped';
}

/** Until the shutdown a V2 account keeps syncing (with its banner); from then on it does not. */
export function syncAllowed(state: MigrationState): boolean {
  return state !== 'syncStopped';
}

export interface MigrationView {
  state: MigrationState;
  deadline: string;
  shutdown: string;
  banner: Banner | null;
}

/** The `migration` object of GET /api/accounts/{id}, current even if the timer has not run yet. */
export function migrationView(account: Account, now: Date, instants: MigrationInstants): MigrationView {
  const state = migrationState(account.syncVersion, now, instants);
  return {
    state,
    deadline: instants.deadline.toISOString(),
    shutdown: instants.shutdown.toISOString(),
    banner: bannerFor(state, { accountId: account.id, email: account.email, instants }),
  };
}

export interface MigrationCutoffPlan {
  account: Account;
  /** True when the account must be written back. */
  changed: boolean;
  transition: { from: MigrationState; to: MigrationState } | null;
  /** True exactly once: on the write that moves the account into syncStopped. */
  stopSync: boolean;
}

/**
 * What the migrationCutoff timer does to one account. Idempotent: a second run at the same (or
 * a later, same-state) instant changes nothing. A run after days without one jumps straight to
 * the current state with a single history entry whose `from` is the stored state.
 */
export function planMigrationCutoff(
  account: Account,
  now: Date,
  instants: MigrationInstants,
): MigrationCutoffPlan {
  const from = account.migration.state;
  const to = migrationState(account.syncVersion, now, instants);
  const banner = bannerFor(to, { accountId: account.id, email: account.email, instants });
  const stateChanged = from !== to;
  if (!stateChanged && sameBanner(account.migration.banner, banner)) {
    return { account, changed: false, transition: null, stopSync: false };
  }
  const history = stateChanged
    ? [...account.migration.history, { at: now.toISOString(), from, to }]
    : account.migration.history;
  return {
    account: { ...account, migration: { state: to, banner, history } },
    changed: true,
    transition: stateChanged ? { from, to } : null,
    stopSync: stateChanged && to === 'syncStopped',
  };
}
