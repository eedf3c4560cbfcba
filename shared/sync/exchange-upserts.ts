import pLimit from 'p-limit';
import { type ExchangeContact, exchangeFieldsOf } from '../contact/index.js';
import { isSyncError, SyncError, toError } from '../errors.js';
import type { Stored } from '../ports.js';
import type { AccountSession } from './account-session.js';
import { CONTACT_CONCURRENCY, inLedgerBracket, tallyInChunks } from './chunks.js';
import type { SyncDeps } from './deps.js';
import { crmEditedAt } from './edit-times.js';
import type { ContactLink } from './link.js';
import { relinkId } from './link-id.js';
import { findCrmMatch, oneMatchPerCrmContact } from './match.js';
import { addTally, emptyTally, type SyncTally } from './outcome.js';
import { type PairPlan, planExchangeUpsert } from './plan.js';

/**
 * The created-or-changed half of a delta page (Exchange → CRM): plan every contact (with a CRM
 * match for new ones), then execute, a chunk at a time, bracketed by the pending-create ledger.
 */

export async function applyUpserts(
  deps: SyncDeps,
  session: AccountSession,
  upserts: ExchangeContact[],
  targetFolderId: string,
): Promise<SyncTally> {
  return tallyInChunks(upserts, (chunk) => applyChunk(deps, session, chunk, targetFolderId));
}

async function applyChunk(
  deps: SyncDeps,
  session: AccountSession,
  upserts: ExchangeContact[],
  targetFolderId: string,
): Promise<SyncTally> {
  const tally = emptyTally();
  const limit = pLimit(CONTACT_CONCURRENCY);
  const planned = await Promise.all(
    upserts.map((contact) => limit(() => planUpsert(deps, session, contact))),
  );
  const plans = oneMatchPerCrmContact(planned, (i) =>
    planExchangeUpsert({
      account: session.account,
      link: null,
      crm: null,
      exchange: upserts[i]!,
      now: deps.clock.now(),
    }),
  );
  const failures: Error[] = [];
  const bracketed = await inLedgerBracket(deps, session, targetFolderId, plans, async (chunk) => {
    const attempt = async (contact: ExchangeContact, plan: PairPlan, onConflict: () => void) => {
      try {
        await chunk.execute(plan);
      } catch (error) {
        if (isSyncError(error, 'conflict')) return onConflict();
        if (await recordFailure(deps, session, contact, error, failures, tally)) chunk.giveUp(plan);
      }
    };
    const retry: ExchangeContact[] = [];
    await Promise.all(
      plans.map((plan, i) => limit(() => attempt(upserts[i]!, plan, () => retry.push(upserts[i]!)))),
    );
    // Two contacts of one page can race for the same CRM match: re-plan the losers one by one.
    for (const contact of retry) {
      const plan = await planUpsert(deps, session, contact);
      await attempt(contact, plan, () =>
        failures.push(
          new SyncError('conflict', 'PairChanged', `Outlook contact ${contact.id} kept changing`),
        ),
      );
    }
  });
  addTally(tally, bracketed);
  if (failures.length > 0) throw failures[0];
  return tally;
}

async function planUpsert(
  deps: SyncDeps,
  session: AccountSession,
  contact: ExchangeContact,
): Promise<PairPlan> {
  const account = session.account;
  const link = await deps.mirror.getByExchangeId(account.id, contact.id);
  const crm = link
    ? await deps.crm.get(link.value.crmId)
    : await findCrmMatch(deps, account.id, exchangeFieldsOf(contact, account.defaultCountry));
  const plan = planExchangeUpsert({
    account,
    link,
    crm,
    exchange: contact,
    now: deps.clock.now(),
    crmEditedAt: await crmEditedAt(deps, account.id, crm),
  });
  if (link) return withFolder(plan, link, contact);
  if (plan.kind === 'createInCrm' && !plan.replaces) {
    // The pair's id is taken by a link that followed a moved copy under a new id (its id came
    // from this contact's id, which Outlook handed out again on a restore): a fresh one.
    const holder = await deps.mirror.getByLinkId(account.id, plan.linkId);
    if (holder) return { ...plan, linkId: relinkId(plan.linkId, holder.value.crmId) };
  }
  return plan;
}

/**
 * A contact moved to another folder keeps its link (an immutable id is seen in the folder it
 * moved to): the link only learns the folder. An `update` plan takes the folder in execute.ts.
 */
function withFolder(plan: PairPlan, link: Stored<ContactLink>, contact: ExchangeContact): PairPlan {
  const folder = contact.parentFolderId;
  if (!folder || folder === link.value.exchangeFolderId) return plan;
  if (plan.kind === 'noop')
    return {
      kind: 'refreshLink',
      link,
      update: { exchangeFolderId: folder },
      reason: 'moved to another folder',
    };
  if (plan.kind === 'refreshLink') return { ...plan, update: { ...plan.update, exchangeFolderId: folder } };
  return plan;
}

async function recordFailure(
  deps: SyncDeps,
  session: AccountSession,
  contact: ExchangeContact,
  error: unknown,
  failures: Error[],
  tally: SyncTally,
): Promise<boolean> {
  const err = toError(error);
  tally.failed++;
  if (isSyncError(err) && (err.kind === 'invalid' || err.kind === 'permanent')) {
    deps.log(`account ${session.account.id}: Outlook contact ${contact.id} skipped: ${err.message}`);
    await deps.mirror.appendLog(session.account.id, [
      {
        contactKey: `exchange:${contact.id}`,
        at: deps.clock.now().toISOString(),
        level: 'error',
        action: 'skipped',
        detail: err.message,
      },
    ]);
    return true;
  }
  failures.push(err);
  return false;
}
