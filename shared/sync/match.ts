import type { CrmContact, ExchangeFields } from '../contact/index.js';
import type { SyncDeps } from './deps.js';

/**
 * Before creating a CRM contact for an Exchange contact nobody has linked yet, look for the
 * same person in the CRM (DESIGN section 9, rule 4): same primary e-mail address, not yet
 * linked for this account. Several candidates → the lowest id, so every run picks the same.
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
