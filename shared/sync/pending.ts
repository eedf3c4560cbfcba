import type { PendingCreate } from '../accounts/account.js';
import { crmContent, crmFromExchange, EMPTY_FIELDS, exchangeFieldsOf } from '../contact/index.js';
import { isSyncError, SyncError, toError } from '../errors.js';
import type { AccountSession } from './account-session.js';
import { createOnce } from './crm-create.js';
import type { SyncDeps } from './deps.js';
import { executePlan, newLink } from './execute.js';
import { crmPatchOf } from './patches.js';
import { planExchangeUpsert } from './plan.js';

/**
 * Finishes creates a crashed worker left behind (the account's pending-create ledger), before
 * any new work for the account. Exchange-side creates are found by their ownership marker and
 * adopted into the mirror instead of being created again; CRM-side creates are re-run with the
 * same idempotency key, which returns the contact the first attempt made. A create that now
 * fails for good (the CRM answers 4xx) is recorded in the contact's action log and leaves the
 * ledger: it must not block the account's other work.
 */
export async function resolvePendingCreates(
  deps: SyncDeps,
  session: AccountSession,
  targetFolderId: string,
): Promise<number> {
  let resolved = 0;
  for (const pending of session.account.pendingCreates) {
    try {
      await resolve(deps, session, pending, targetFolderId);
    } catch (error) {
      if (!isSyncError(error, 'invalid') && !isSyncError(error, 'permanent')) throw error;
      await givenUp(deps, session, pending, error);
    }
    await session.endCreates([pending.linkId]);
    resolved++;
  }
  return resolved;
}

async function resolve(
  deps: SyncDeps,
  session: AccountSession,
  pending: PendingCreate,
  targetFolderId: string,
): Promise<void> {
  const account = session.account;
  if (await deps.mirror.getByLinkId(account.id, pending.linkId)) return; // only the ledger update was lost
  if (pending.side === 'exchange') {
    const created = await deps.exchange.findByLinkId(session.mailbox, pending.linkId);
    if (!created) return;
    const crm = await deps.crm.get(pending.sourceId);
    if (!crm || (await deps.mirror.getByCrmId(account.id, crm.id))) {
      // Its CRM contact is gone meanwhile, or got another copy: this one is surplus.
      await deps.exchange.delete(session.mailbox, created.id, created.changeKey ?? undefined);
      return;
    }
    // Version 0: the next CRM event or sweep re-merges, in case the CRM changed meanwhile.
    const snapshot = exchangeFieldsOf(created, account.defaultCountry);
    const link = newLink(
      account.id,
      pending.linkId,
      crm.id,
      0,
      created.id,
      created.parentFolderId ?? targetFolderId,
      created.changeKey ?? null,
      snapshot,
      'crm',
      deps.clock.now().toISOString(),
    );
    await deps.mirror.put(link, null);
    return;
  }
  if (await deps.mirror.getByExchangeId(account.id, pending.sourceId)) return; // linked meanwhile
  const source = await deps.exchange.get(session.mailbox, pending.sourceId);
  if (!source) {
    await settleOrphan(deps, session, pending);
    return;
  }
  const plan = planExchangeUpsert({
    account,
    link: null,
    crm: null,
    exchange: source,
    now: deps.clock.now(),
  });
  if (plan.kind !== 'createInCrm')
    throw new SyncError('permanent', 'PendingPlan', `unexpected plan ${plan.kind} for a pending create`);
  // The same idempotency key as the interrupted attempt: the CRM returns what it created then.
  await executePlan(
    { ...plan, linkId: pending.linkId },
    { deps, session, targetFolderId, trackPending: false },
  );
}

/**
 * The Outlook contact of an interrupted CRM create was deleted since. If the create happened,
 * its CRM contact is an orphan of a deleted Outlook contact: it gets what an Outlook delete
 * gets (unlinked or deleted, the account's choice) instead of being copied back to Outlook.
 * Whether it happened only the CRM knows: the create is repeated with the same idempotency keys
 * and an empty, untagged body. A replay returns the first attempt's contact; an empty one back
 * means there was none (or the user deleted it), and that empty contact (which no account
 * sees) is deleted again.
 */
async function settleOrphan(deps: SyncDeps, session: AccountSession, pending: PendingCreate): Promise<void> {
  const account = session.account;
  const probe = { ...crmFromExchange(EMPTY_FIELDS, account.id), syncAccounts: [] };
  // The same chain of keys as the interrupted create (crm-create.ts).
  const created = await createOnce(
    deps.crm,
    probe,
    account.id,
    pending.linkId,
    async (contact) => (await deps.mirror.getByCrmId(account.id, contact.id)) === null,
  );
  // Our own empty contact (whatever tags someone gave it in the moment it existed).
  if (crmPatchOf({ ...crmContent(created), syncAccounts: [] }, probe) === null) {
    await deps.crm.delete(created.id, created.version);
    return;
  }
  const mode = account.exchangeDeleteAction;
  if (mode === 'delete') await deps.crm.delete(created.id, created.version);
  else if (created.syncAccounts.includes(account.id))
    await deps.crm.update(
      created.id,
      { syncAccounts: created.syncAccounts.filter((id) => id !== account.id) },
      created.version,
    );
  await deps.mirror.appendLog(account.id, [
    {
      contactKey: `crm:${created.id}`,
      at: deps.clock.now().toISOString(),
      level: 'info',
      action: mode === 'delete' ? 'deletedInCrm' : 'unlinked',
      detail: `deleted in Outlook (${pending.sourceId}) before its creation in the CRM was recorded`,
    },
  ]);
}

async function givenUp(
  deps: SyncDeps,
  session: AccountSession,
  pending: PendingCreate,
  error: unknown,
): Promise<void> {
  const message = toError(error).message;
  deps.log(`account ${session.account.id}: pending create ${pending.linkId} given up: ${message}`);
  await deps.mirror.appendLog(session.account.id, [
    {
      contactKey: `${pending.side === 'crm' ? 'exchange' : 'crm'}:${pending.sourceId}`,
      at: deps.clock.now().toISOString(),
      level: 'error',
      action: 'skipped',
      detail: `the interrupted create was retried and refused for good: ${message}`.slice(0, 1000),
    },
  ]);
}
