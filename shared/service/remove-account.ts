import type { Account } from '../accounts/account.js';
import { isSyncError } from '../errors.js';
import type { MailDeps } from '../mail-sync/deps.js';
import { mailForAccount } from '../mail-sync/deps.js';
import type { SyncDeps } from '../sync/deps.js';
import { forAccount } from '../sync/exchange-router.js';
import { ACCOUNT_LEASE_MS } from '../sync/lease-guard.js';
import { forgetOnPremises } from './connect-on-premises.js';

/**
 * Removing an account (issue 18 item 5; `DELETE /api/accounts/{id}`). Under the account's
 * lease, so no worker of the account writes meanwhile; each step can run again, so a removal
 * cut short is finished by a second DELETE (the account row goes last):
 *  1. the Graph contact subscription and the message subscription are deleted (one Graph no
 *     longer has is fine); a polled (on-premises) account has none;
 *  2. the on-premises password is deleted from the SecretStore (`forgetOnPremises`);
 *  3. the account's mirror links are deleted;
 *  4. the account row and its `sub|` lookup row (one transaction).
 * Kept: CRM contacts, Outlook contacts and the account's CRM tag on contacts (data the user
 * would miss; README "Removing an account"). Workers that find no account skip their message.
 */
export interface RemoveResult {
  /** False when there was no such account (already removed). */
  removed: boolean;
  links: number;
}

export async function removeAccount(deps: SyncDeps | MailDeps, accountId: string): Promise<RemoveResult> {
  const remove = deps.accounts.delete?.bind(deps.accounts);
  if (!remove) throw new Error('these accounts cannot be deleted');
  const lease = await acquire(deps, accountId);
  try {
    const first = await deps.accounts.get(accountId);
    if (!first) return { removed: false, links: 0 };
    const account = first.value;
    await deleteContactSubscription(deps, account);
    await deleteMailSubscription(deps, account);
    await forgetOnPremises(deps, account);
    const links = await deleteLinks(deps, accountId);
    const current = await deps.accounts.get(accountId);
    if (current) await remove(accountId, current.etag);
    return { removed: true, links };
  } finally {
    await lease?.release().catch(() => undefined);
  }
}

async function acquire(deps: SyncDeps, accountId: string) {
  const deadline = Date.now() + deps.settings.leaseWaitMs;
  for (;;) {
    const lease = await deps.lease.acquire(`account:${accountId}`, ACCOUNT_LEASE_MS);
    if (lease) return lease;
    if (Date.now() > deadline) throw new Error(`another worker is syncing account ${accountId}; try again`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const goneIsFine = (error: unknown) => {
  if (!isSyncError(error, 'notFound')) throw error;
};

async function deleteContactSubscription(deps: SyncDeps, account: Account): Promise<void> {
  const id = account.subscription?.id;
  const subscriptions = forAccount(deps, account).exchange.subscriptions;
  if (!id || !subscriptions) return;
  await subscriptions.deleteSubscription(id).catch(goneIsFine);
}

async function deleteMailSubscription(deps: SyncDeps | MailDeps, account: Account): Promise<void> {
  const id = account.mail?.subscription?.id;
  if (!id || !('mailStore' in deps)) return;
  if (account.provider !== 'onPremises') {
    await mailForAccount(deps, account).exchangeMail.deleteSubscription(id).catch(goneIsFine);
  }
  await deps.mailStore.deleteSubscriptionOwner(id);
}

async function deleteLinks(deps: SyncDeps, accountId: string): Promise<number> {
  const links = [];
  for await (const link of deps.mirror.list(accountId)) links.push(link);
  for (const link of links) {
    const stored = await deps.mirror.getByLinkId(accountId, link.linkId);
    if (stored) await deps.mirror.delete(stored.value, stored.etag);
  }
  return links.length;
}
