import pLimit from 'p-limit';
import type { AccountSession } from './account-session.js';
import { CONTACT_CONCURRENCY, inLedgerBracket, tallyInChunks } from './chunks.js';
import type { SyncDeps } from './deps.js';
import { crmEditedAt } from './edit-times.js';
import { executePlan } from './execute.js';
import type { ContactLink } from './link.js';
import { addTally, emptyTally, type SyncTally, tallyOf } from './outcome.js';
import { type PairPlan, planCrmChange } from './plan.js';

/** A CRM contact to push, with the version its event reported (null: deleted). */
export interface CrmChange {
  contactId: string;
  version: number | null;
}

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
  const plan = await planPush(deps, session, { contactId, version });
  if (plan === null) return { ...emptyTally(), unchanged: 1 };
  await executePlan(plan, { deps, session, targetFolderId });
  return tallyOf(plan);
}

/**
 * CRM → Exchange for many contacts of one account (a session's waiting messages): the same
 * plan per contact as `syncCrmContact`, but read and written eight at a time, with the creates
 * of a chunk bracketed by one pending-ledger write and its log lines written in one batch.
 * The first failure is thrown after the rest of the chunk finished; what failed is re-planned
 * from the current state when its message is retried.
 */
export async function syncCrmContacts(
  deps: SyncDeps,
  session: AccountSession,
  changes: CrmChange[],
  targetFolderId: string,
): Promise<SyncTally> {
  return tallyInChunks(latestPerContact(changes), (chunk) => pushChunk(deps, session, chunk, targetFolderId));
}

async function pushChunk(
  deps: SyncDeps,
  session: AccountSession,
  changes: CrmChange[],
  targetFolderId: string,
): Promise<SyncTally> {
  const tally = emptyTally();
  const limit = pLimit(CONTACT_CONCURRENCY);
  const planned = await Promise.all(changes.map((change) => limit(() => planPush(deps, session, change))));
  tally.unchanged += planned.filter((plan) => plan === null).length;
  const plans = planned.filter((plan): plan is PairPlan => plan !== null);
  const failures: unknown[] = [];
  // A create that fails stays in the ledger: the retry adopts or removes what it left behind.
  addTally(
    tally,
    await inLedgerBracket(deps, session, targetFolderId, plans, async (chunk) => {
      const run = (plan: PairPlan) => chunk.execute(plan).catch((error: unknown) => failures.push(error));
      await Promise.all(plans.map((plan) => limit(() => run(plan))));
    }),
  );
  if (failures.length > 0) throw failures[0];
  return tally;
}

/** The plan for one contact, or null when the mirror already holds the reported version. */
async function planPush(
  deps: SyncDeps,
  session: AccountSession,
  change: CrmChange,
): Promise<PairPlan | null> {
  const account = session.account;
  let link = await deps.mirror.getByCrmId(account.id, change.contactId);
  if (link && change.version !== null && change.version <= link.value.crmVersion && !link.value.deleting)
    return null;
  const crm = await deps.crm.get(change.contactId);
  const exchange = link ? await linkedCopy(deps, session, link.value) : null;
  if (link?.value.deleting && !exchange) {
    // The sync deleted this copy itself and crashed before it removed the link: finish that.
    await deps.mirror.delete(link.value, link.etag);
    link = null;
  }
  if (link && !exchange && crm) {
    // Not where the link says: moved (a new id) or deleted. Only a delta round, which sees
    // every folder, can tell; it decides (and merges this change) when it sees the removal.
    return { kind: 'noop', reason: 'the Outlook copy is not where the link says; the delta round decides' };
  }
  const plan = planCrmChange({
    account,
    link,
    crm,
    exchange,
    now: deps.clock.now(),
    crmEditedAt: await crmEditedAt(deps, account.id, crm),
  });
  if (plan.kind === 'deleteExchange' && exchange) {
    // The delete is conditional on the copy this plan was made from, not on the link's last
    // sync: a change Outlook made since then (but before our read) was taken into account.
    return {
      ...plan,
      link: { ...plan.link, value: { ...plan.link.value, changeKey: exchange.changeKey ?? null } },
    };
  }
  return plan;
}

/** The linked Outlook copy: by its id, else (moved under a new id) by the ownership marker. */
async function linkedCopy(deps: SyncDeps, session: AccountSession, link: ContactLink) {
  const byId = await deps.exchange.get(session.mailbox, link.exchangeId);
  if (byId || link.origin !== 'crm') return byId;
  const marked = await deps.exchange.findByLinkId(session.mailbox, link.linkId);
  // Linked to another contact already (a re-created copy): not this link's copy.
  return marked && !(await deps.mirror.getByExchangeId(session.account.id, marked.id)) ? marked : null;
}

/**
 * One change per contact, in first-seen order: the contact is re-read anyway, so only the
 * skip check needs the version, and it must not skip when any event may be newer (a deletion
 * reports none).
 */
function latestPerContact(changes: CrmChange[]): CrmChange[] {
  const latest = new Map<string, number | null>();
  for (const { contactId, version } of changes) {
    const seen = latest.get(contactId);
    latest.set(
      contactId,
      seen === undefined ? version : seen === null || version === null ? null : Math.max(seen, version),
    );
  }
  return [...latest].map(([contactId, version]) => ({ contactId, version }));
}
