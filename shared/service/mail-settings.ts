import type { Account } from '../accounts/account.js';
import { migrationState, syncAllowed } from '../accounts/migration-policy.js';
import { isSyncError, SyncError } from '../errors.js';
import {
  applyMailSettingsPatch,
  applyTenantMailSettingsPatch,
  changedFields,
  effectiveMailSettings,
  type MailSettings,
  type MailSettingsPatch,
  needsFullRound,
  type TenantMailSettings,
  type TenantMailSettingsPatch,
} from '../mail/settings.js';
import { tenantMailSettingsOf } from '../mail/settings-store.js';
import { enqueueMailSync, MAIL_SWEEP } from '../mail-sync/mail-jobs.js';
import { emptyMailState } from '../mail-sync/mail-state.js';
import type { Stored } from '../ports.js';
import { AccountSession } from '../sync/account-session.js';
import type { SyncDeps } from '../sync/deps.js';

/**
 * The mail settings use cases (issue 17, items 1 and 2), shared by the API
 * (functions/mail-settings.ts) and the web app's settings page: read an account's effective
 * settings, change them, read and change a tenant's. The account's settings live in its row
 * (`Account.mail.settings`, written with the ETag like every other change of the row), the
 * tenant's in the TenantSettingsStore. A change takes effect on the account's next mail round;
 * a change of folders or window queues a full round at once (needsFullRound).
 */

/** What the account status and GET /api/accounts/{id}/mail-settings show. */
export interface MailSettingsView extends MailSettings {
  /** The tenant's blocklist, which applies on top of the account's own (read-only here). */
  tenantBlocklist: string[];
}

export async function mailSettingsView(deps: SyncDeps, account: Account): Promise<MailSettingsView> {
  const tenant = await tenantMailSettingsOf(deps.tenantSettings, account.tenantId);
  return { ...effectiveMailSettings(account.mail?.settings), tenantBlocklist: tenant.blocklist };
}

export interface MailSettingsChange {
  account: Account;
  settings: MailSettings;
  /** The fields whose value changed (empty: the patch changed nothing, and nothing was written). */
  changed: string[];
  /** A full mail round was queued (folders or window changed, and the account may sync). */
  roundQueued: boolean;
}

export async function updateMailSettings(
  deps: SyncDeps,
  stored: Stored<Account>,
  patch: MailSettingsPatch,
): Promise<MailSettingsChange> {
  const session = new AccountSession(deps, stored);
  const before = effectiveMailSettings(stored.value.mail?.settings);
  const after = applyMailSettingsPatch(before, patch);
  const changed = changedFields(before, after);
  if (changed.length === 0) return { account: stored.value, settings: before, changed, roundQueued: false };
  // Re-applied to the fresh row on a conflict: only the settings change, whatever a mail round
  // wrote meanwhile (its own writes keep `settings`: they spread the state they read).
  await session.update((account) => ({
    ...account,
    mail: { ...(account.mail ?? emptyMailState()), settings: after },
  }));
  const account = session.account;
  const state = migrationState(account.syncVersion, deps.clock.now(), deps.settings.migration);
  const roundQueued = needsFullRound(before, after) && syncAllowed(state);
  // The sweep's kind of full round: only it compares the mailbox with what was linked
  // (mail-round.ts), which is what brings in a wider window's older mail and takes the
  // account off the e-mails of a folder no longer read.
  if (roundQueued) await enqueueMailSync(deps, account.id, true, MAIL_SWEEP);
  return { account, settings: after, changed, roundQueued };
}

export async function readTenantMailSettings(deps: SyncDeps, tenantId: string): Promise<TenantMailSettings> {
  return tenantMailSettingsOf(deps.tenantSettings, tenantId);
}

export interface TenantSettingsChange {
  settings: TenantMailSettings;
  changed: string[];
}

/**
 * Read-modify-write with the row's ETag, re-applied when another administrator saved in
 * between. Takes effect on each of the tenant's accounts at its next mail round.
 */
export async function updateTenantMailSettings(
  deps: SyncDeps,
  tenantId: string,
  patch: TenantMailSettingsPatch,
): Promise<TenantSettingsChange> {
  const store = deps.tenantSettings;
  if (!store) throw new SyncError('permanent', 'NoTenantStore', 'no tenant settings store is configured');
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await store.get(tenantId);
    const before = current?.value ?? { blocklist: [] };
    const after = applyTenantMailSettingsPatch(before, patch);
    const changed = changedFields(before, after);
    if (changed.length === 0) return { settings: before, changed };
    try {
      await store.put(tenantId, after, current?.etag ?? null);
      return { settings: after, changed };
    } catch (error) {
      if (!isSyncError(error, 'conflict')) throw error;
    }
  }
  throw new SyncError('transient', 'TenantSettingsContention', 'the tenant settings kept changing; retry');
}
