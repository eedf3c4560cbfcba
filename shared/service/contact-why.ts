import type { Account } from '../accounts/account.js';
import {
  type CrmContact,
  crmContent,
  type ExchangeFields,
  exchangeFieldsOf,
  type KeptBack,
  projectToExchange,
} from '../contact/index.js';
import type { SyncDeps } from '../sync/deps.js';
import { contactsOf } from '../sync/exchange-router.js';
import type { ContactLink, LogEntry } from '../sync/link.js';
import { isTaggedFor } from '../sync/plan.js';

/**
 * "Warum kam das nicht in Outlook an?": everything the product knows about one contact of an
 * account, read from the mirror's link, both sides' current state, the projection (which
 * values Exchange cannot hold, and why) and the action log. Read-only.
 */

export interface ContactHit {
  crmId: string;
  name: string;
  email: string | null;
}

const MAX_QUERY = 200;

function nameOf(
  fields: Pick<ExchangeFields, 'givenName' | 'surname' | 'companyName' | 'emailAddresses'>,
): string {
  const person = [fields.givenName, fields.surname].filter(Boolean).join(' ');
  return person || fields.companyName || fields.emailAddresses[0] || '–';
}

/**
 * The account's contacts whose name, company or e-mail contains the query (case-insensitive):
 * the linked ones (from the mirror), then the CRM contacts tagged for the account that have no
 * link, which are exactly those that did not reach Outlook at all.
 */
export async function searchContacts(
  deps: SyncDeps,
  accountId: string,
  query: string,
  limit = 50,
): Promise<ContactHit[]> {
  const needle = query.trim().toLowerCase().slice(0, MAX_QUERY);
  if (needle === '') return [];
  const matches = (values: (string | null | undefined)[]) =>
    values.filter(Boolean).join(' ').toLowerCase().includes(needle);
  const hits: ContactHit[] = [];
  const linked = new Set<string>();
  for await (const link of deps.mirror.list(accountId)) {
    linked.add(link.crmId);
    const s = link.snapshot;
    if (
      hits.length >= limit ||
      !matches([s.givenName, s.middleName, s.surname, s.companyName, ...s.emailAddresses])
    )
      continue;
    hits.push({ crmId: link.crmId, name: nameOf(s), email: s.emailAddresses[0] ?? null });
  }
  let pageToken: string | undefined;
  do {
    if (hits.length >= limit) break;
    const page = await deps.crm.list(pageToken ? { pageToken } : {});
    for (const c of page.items) {
      if (hits.length >= limit || linked.has(c.id) || !isTaggedFor(c, accountId)) continue;
      if (!matches([c.firstName, c.middleName, c.lastName, c.company, ...c.emails.map((e) => e.address)]))
        continue;
      hits.push({ crmId: c.id, name: nameFor(c, null, null), email: c.emails[0]?.address ?? null });
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  return hits.sort((a, b) => a.name.localeCompare(b.name, 'de'));
}

export interface ContactWhy {
  crmId: string;
  name: string;
  link: Pick<ContactLink, 'exchangeId' | 'origin' | 'syncedAt'> | null;
  /** What the CRM would put into Outlook (its projection), and what Outlook holds now. */
  crmFields: ExchangeFields | null;
  exchangeFields: ExchangeFields | null;
  crmNotes: string | null;
  keptBack: KeptBack[];
  conflicts: LogEntry[];
  /** The action log of both keys of the pair, oldest first. */
  log: LogEntry[];
}

/** Null when the contact is not the account's (neither linked nor tagged): the page answers 404. */
export async function contactWhy(
  deps: SyncDeps,
  account: Account,
  crmId: string,
): Promise<ContactWhy | null> {
  const [stored, crm] = await Promise.all([deps.mirror.getByCrmId(account.id, crmId), deps.crm.get(crmId)]);
  const link = stored?.value ?? null;
  if (!link && !(crm && isTaggedFor(crm, account.id))) return null;
  const exchange = link ? await contactsOf(deps, account).get(account.userId, link.exchangeId) : null;
  const exchangeFields = exchange ? exchangeFieldsOf(exchange, account.defaultCountry) : null;
  const projection = crm
    ? projectToExchange(crmContent(crm), {
        defaultCountry: account.defaultCountry,
        ...(exchangeFields ? { held: [exchangeFields] } : {}),
      })
    : null;
  const keys = [`crm:${crmId}`, ...(link ? [`exchange:${link.exchangeId}`] : [])];
  const log = (await Promise.all(keys.map((key) => deps.mirror.readLog(account.id, key))))
    .flat()
    .sort((a, b) => a.at.localeCompare(b.at));
  return {
    crmId,
    name: nameFor(crm, exchangeFields, link),
    link: link ? { exchangeId: link.exchangeId, origin: link.origin, syncedAt: link.syncedAt } : null,
    crmFields: projection?.fields ?? null,
    exchangeFields,
    crmNotes: crm?.notes ?? null,
    keptBack: (projection?.keptBack ?? []).filter((k) => k.reason !== 'empty'),
    conflicts: log.filter((entry) => entry.level === 'conflict'),
    log,
  };
}

function nameFor(crm: CrmContact | null, exchange: ExchangeFields | null, link: ContactLink | null): string {
  if (crm) {
    const person = [crm.firstName, crm.lastName].filter(Boolean).join(' ');
    return person || crm.company || crm.emails[0]?.address || crm.id;
  }
  const fields = exchange ?? link?.snapshot;
  return fields ? nameOf(fields) : '–';
}
