import type { Account } from '../accounts/account.js';
import { mailboxStatusText } from '../accounts/mailbox-status.js';
import { migrationView } from '../accounts/migration-policy.js';
import { mailStatusView } from '../mail-sync/mail-state.js';
import type { SyncDeps } from '../sync/deps.js';
import { mailSettingsView } from './mail-settings.js';

/**
 * The account as the public API shows it: no delta links, no clientState (a subscription's
 * clientState is what proves a notification is genuine), plus the migration view and status.
 */
export async function accountView(deps: SyncDeps, account: Account, options: { countLinks?: boolean } = {}) {
  const now = deps.clock.now();
  return {
    id: account.id,
    email: account.email,
    userId: account.userId,
    tenantId: account.tenantId,
    provider: account.provider,
    syncVersion: account.syncVersion,
    defaultCountry: account.defaultCountry,
    targetFolderId: account.targetFolderId,
    exchangeDeleteAction: account.exchangeDeleteAction,
    createdAt: account.createdAt,
    // An on-premises account's connection; never the password nor the name of its secret.
    onPremises: account.onPremises
      ? {
          ewsUrl: account.onPremises.ewsUrl,
          username: account.onPremises.username,
          auth: account.onPremises.auth,
          caSet: account.onPremises.caPem !== null,
        }
      : null,
    migration: migrationView(account, now, deps.settings.migration),
    // Set while the account is being removed (DELETE /api/accounts/{id}): the step it is at; else null.
    removal: account.removal ?? null,
    sync: {
      lastSyncAt: account.status.lastSyncAt,
      lastError: account.status.lastError,
      linked: options.countLinks === false ? null : await countLinks(deps, account.id),
      pending: account.pendingCreates.length,
      heldDeletes: account.status.heldDeletes,
      warnings: account.status.warnings,
      subscriptionExpiresAt: account.subscription?.expirationDateTime ?? null,
      // Graph cannot read the mailbox right now (nothing is deleted meanwhile); null when it can.
      mailbox: account.status.mailbox
        ? { ...account.status.mailbox, message: mailboxStatusText(account.status.mailbox) }
        : null,
    },
    // The mail sync's stage (initial import with progress, live, failed with the reason) and counts.
    mail: mailStatusView(account.mail),
    // What the mail sync takes from the mailbox: the account's settings with their defaults, and
    // the tenant's blocklist on top (shared/service/mail-settings.ts; PATCH …/mail-settings).
    mailSettings: await mailSettingsView(deps, account),
  };
}

async function countLinks(deps: SyncDeps, accountId: string): Promise<number> {
  let n = 0;
  for await (const _ of deps.mirror.list(accountId)) n++;
  return n;
}
