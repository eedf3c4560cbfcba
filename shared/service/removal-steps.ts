import type { Account, RemovalStep } from '../accounts/account.js';
import { isSyncError } from '../errors.js';
import type { MailDeps } from '../mail-sync/deps.js';
import { mailForAccount } from '../mail-sync/deps.js';
import type { Stored } from '../ports.js';
import type { SyncDeps } from '../sync/deps.js';
import { forAccount } from '../sync/exchange-router.js';
import { forgetOnPremises } from './connect-on-premises.js';

/**
 * The steps of an account's removal (remove-account.ts). Each can run again after a crash at
 * any point: what it deleted is gone, a second delete of it is not an error, and every page
 * reads what is left. Each page is short (one request or one table transaction per row) and
 * is taken from the task's budget; a step whose budget ran out answers `unfinished`.
 */
export interface RemovalBudget {
  pageSize: number;
  pagesLeft: number;
  /** Before each page: throws when the account's lease was lost (another worker took over). */
  check(): Promise<void>;
}

export type StepOutcome = { kind: 'done'; account: Stored<Account> } | { kind: 'unfinished' };

/** Log entries are far younger than this: the action log's retention with it as cutoff drops all. */
const AFTER_EVERY_ENTRY = new Date('9999-12-01T00:00:00.000Z');

export async function removeStep(
  deps: SyncDeps | MailDeps,
  stored: Stored<Account>,
  step: RemovalStep,
  budget: RemovalBudget,
): Promise<StepOutcome> {
  const done = (account: Stored<Account> = stored): StepOutcome => ({ kind: 'done', account });
  const id = stored.value.id;
  switch (step) {
    case 'subscriptions':
      if (!(await page(budget))) return { kind: 'unfinished' };
      return done(await removeSubscriptions(deps, stored));
    case 'links':
      return (await inPages(budget, () => removeLinks(deps, id, budget.pageSize))) ? done() : unfinished;
    case 'mail':
      if (!('mailStore' in deps)) return done();
      return (await inPages(budget, () => removeMailState(deps, id, budget.pageSize))) ? done() : unfinished;
    case 'log':
      return (await inPages(budget, () => deps.mirror.pruneLog(id, AFTER_EVERY_ENTRY, budget.pageSize)))
        ? done()
        : unfinished;
    case 'secret':
      if (!(await page(budget))) return unfinished;
      await forgetOnPremises(deps, stored.value);
      return done();
    case 'row':
      if (!(await page(budget))) return unfinished;
      await deps.accounts.delete(id, stored.etag);
      return done();
  }
}

const unfinished: StepOutcome = { kind: 'unfinished' };

/** Takes one page from the budget; false when none is left. */
async function page(budget: RemovalBudget): Promise<boolean> {
  if (budget.pagesLeft <= 0) return false;
  budget.pagesLeft--;
  await budget.check();
  return true;
}

/** Runs `removePage` (answers how many it removed) until a page is not full; false when the budget ran out first. */
async function inPages(budget: RemovalBudget, removePage: () => Promise<number>): Promise<boolean> {
  for (;;) {
    if (!(await page(budget))) return false;
    if ((await removePage()) < budget.pageSize) return true;
  }
}

const goneIsFine = (error: unknown) => {
  if (!isSyncError(error, 'notFound')) throw error;
};

/**
 * The Graph contact and message subscriptions are deleted (one Graph no longer has is fine);
 * a polled (EWS) account has none to delete. The row forgets them (with its `sub|` lookup row),
 * so a late notification finds no account.
 */
async function removeSubscriptions(
  deps: SyncDeps | MailDeps,
  stored: Stored<Account>,
): Promise<Stored<Account>> {
  const account = stored.value;
  const contactSub = account.subscription?.id;
  const contactSubscriptions = forAccount(deps, account).exchange.subscriptions;
  if (contactSub && contactSubscriptions)
    await contactSubscriptions.deleteSubscription(contactSub).catch(goneIsFine);
  const mailSub = account.mail?.subscription?.id;
  if (mailSub && 'mailStore' in deps) {
    if (account.provider !== 'onPremises')
      await mailForAccount(deps, account).exchangeMail.deleteSubscription(mailSub).catch(goneIsFine);
    await deps.mailStore.deleteSubscriptionOwner(mailSub);
  }
  const mail = account.mail ? { ...account.mail, subscription: null } : account.mail;
  return { value: { ...account, subscription: null, mail }, etag: stored.etag };
}

/** Up to `size` of the account's contact links (with their lookup rows); answers how many went. */
async function removeLinks(deps: SyncDeps, accountId: string, size: number): Promise<number> {
  const ids: string[] = [];
  for await (const link of deps.mirror.list(accountId)) {
    ids.push(link.linkId);
    if (ids.length >= size) break;
  }
  for (const linkId of ids) {
    const stored = await deps.mirror.getByLinkId(accountId, linkId);
    if (stored) await deps.mirror.delete(stored.value, stored.etag).catch(goneIsFine);
  }
  return ids.length;
}

/**
 * Up to `size` of the account's mail state rows: the messages it linked (known copies) first,
 * then the ones that linked no contact yet (unlinked copies). The tenant's CRM e-mail rows stay:
 * they describe e-mails in the CRM, which stay too.
 */
async function removeMailState(deps: MailDeps, accountId: string, size: number): Promise<number> {
  const known = [...(await deps.mailStore.knownCopies(accountId)).keys()].slice(0, size);
  if (known.length > 0) {
    await deps.mailStore.applyCopies(accountId, [], known);
    return size; // the unlinked copies come after, in the next page
  }
  const unlinked: string[] = [];
  for await (const copy of deps.mailStore.unlinked(accountId)) {
    unlinked.push(copy.messageId);
    if (unlinked.length >= size) break;
  }
  if (unlinked.length > 0) await deps.mailStore.forgetUnlinked(accountId, unlinked);
  return unlinked.length;
}
