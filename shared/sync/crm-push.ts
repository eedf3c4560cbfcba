import type { AccountSession } from './account-session.js';
import type { SyncDeps } from './deps.js';
import { executePlan } from './execute.js';
import { emptyTally, type SyncTally, tallyOf } from './outcome.js';
import { planCrmChange } from './plan.js';

/**
 * CRM → Exchange for one contact and one account: re-read the contact and its linked
 * Outlook copy, plan, execute. `version` is the version the event reported: when the mirror
 * already holds it (our own write echoed back, or a duplicate event) nothing is read.
 */
export async function syncCrmContact(
  deps: SyncDeps,
  session: AccountSession,
  contactId: string,
  targetFolderId: string,
  version: number | null,
): Promise<SyncTally> {
  const account = session.account;
  const link = await deps.mirror.getByCrmId(account.id, contactId);
  if (link && version !== null && version <= link.value.crmVersion) return { ...emptyTally(), unchanged: 1 };
  const crm = await deps.crm.get(contactId);
  const exchange = link ? await deps.exchange.get(session.mailbox, link.value.exchangeId) : null;
  const plan = planCrmChange({ account, link, crm, exchange, now: deps.clock.now() });
  await executePlan(plan, { deps, session, targetFolderId });
  return tallyOf(plan);
}
