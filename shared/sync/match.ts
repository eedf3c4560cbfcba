import type { CrmContact, ExchangeFields } from '../contact/index.js';
import type { SyncDeps } from './deps.js';
import type { PairPlan } from './plan.js';

/**
 * Before creating a CRM contact for an Exchange contact nobody has linked yet, look for the
 * same person in the CRM (DESIGN section 9, rule 4): same primary e-mail address, not yet
 * linked for this account. Several candidates → the lowest id, so every run picks the same.
 * A CRM contact links to at most one Outlook contact per account: see oneMatchPerCrmContact.
 * The CRM API offers no search by name or phone, so contacts without an e-mail address are
 * not matched (a known limit, see the README).
 */
export async function findCrmMatch(
  deps: SyncDeps,
  accountId: string,
  fields: ExchangeFields,
): Promise<CrmContact | null> {
  const primary = fields.emailAddresses[0]?.trim().toLowerCase();
  if (!primary) return null;
  const candidates = (await deps.crm.findByEmail(primary))
    .filter((c) => c.emails[0]?.address.trim().toLowerCase() === primary)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const candidate of candidates) {
    if (!(await deps.mirror.getByCrmId(accountId, candidate.id))) return candidate;
  }
  return null;
}

type MatchPlan = Extract<PairPlan, { kind: 'update' }>;

function isMatch(plan: PairPlan | undefined): plan is MatchPlan {
  return plan?.kind === 'update' && plan.link === null;
}

/**
 * Exactly one link per CRM contact and per Outlook contact. The rule: the first Outlook
 * contact the sync sees with the e-mail of an unlinked CRM contact is linked to it; when
 * several of one batch (a delta page's chunk) are seen together, the one closest to it (the
 * fewest fields in conflict, so the same person rather than a colleague sharing an office
 * address), and of equally close ones the lowest Exchange id. The others are planned as
 * contacts of their own (`unmatched`), so nothing of theirs is overwritten with the CRM
 * contact's data; one seen in a later batch finds the CRM contact linked already
 * (findCrmMatch) and becomes its own CRM contact too.
 */
export function oneMatchPerCrmContact(
  plans: readonly PairPlan[],
  unmatched: (index: number) => PairPlan,
): PairPlan[] {
  const winner = new Map<string, number>();
  for (const [i, plan] of plans.entries()) {
    if (!isMatch(plan)) continue;
    const held = winner.get(plan.crm.id);
    const rival = held === undefined ? undefined : plans[held];
    if (!isMatch(rival) || closer(plan, rival)) winner.set(plan.crm.id, i);
  }
  return plans.map((plan, i) => (isMatch(plan) && winner.get(plan.crm.id) !== i ? unmatched(i) : plan));
}

function closer(a: MatchPlan, b: MatchPlan): boolean {
  if (a.conflicts.length !== b.conflicts.length) return a.conflicts.length < b.conflicts.length;
  return a.exchange.id < b.exchange.id;
}
