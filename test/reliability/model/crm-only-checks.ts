import { isDeepStrictEqual } from 'node:util';
import {
  type CrmContact,
  type CrmContactInput,
  crmContactInputSchema,
  type ExchangeContact,
  projectToExchange,
} from '../../../shared/contact/index.js';
import { GROUPS, type Group, type TokenModel } from './model.js';

/**
 * DESIGN section 9, rule 2: what only the CRM holds (notes, salutation, overflow beyond
 * Exchange's slots, e-mail types the user chose) and what only Outlook holds (unmapped fields)
 * survives every round trip. Compared with the user's last write of each value.
 */
type Fail = (invariant: string, detail: string) => void;

const entryValue = (group: Group, entry: unknown): string => {
  const e = entry as { address?: string; number?: string; url?: string; street?: string | null };
  return (
    (group === 'emails'
      ? e.address
      : group === 'phones'
        ? e.number
        : group === 'websites'
          ? e.url
          : e.street) ?? ''
  );
};

export function checkCrmOnlyData(token: TokenModel, contact: CrmContact, fail: Fail): void {
  const writes = token.crmWrites?.crmId === contact.id ? token.crmWrites : null;
  const name = `${token.token} (${contact.id})`;
  for (const field of ['notes', 'salutation'] as const) {
    // A contact the sync created (or re-created) has none until a CRM user sets one.
    const expected = writes?.[field] !== undefined ? writes[field] : null;
    if (contact[field] !== expected)
      fail(
        `no data loss: CRM ${field} untouched`,
        `${name}: ${JSON.stringify(contact[field])}, user set ${JSON.stringify(expected)}`,
      );
  }
  if (!writes) return;
  for (const group of GROUPS) {
    const written = writes[group];
    if (written === undefined) continue;
    const now = contact[group] as unknown[];
    const touches = token.outlookTouches[group];
    if (touches === 0) {
      // Nobody changed this in Outlook: the CRM must hold exactly what the CRM user wrote.
      if (!isDeepStrictEqual(now, written))
        fail(
          `no data loss: CRM ${group} as the user wrote them`,
          `${name}: ${JSON.stringify(now)}, user wrote ${JSON.stringify(written)}`,
        );
      continue;
    }
    const input: CrmContactInput = crmContactInputSchema.parse({ [group]: written });
    for (const kept of projectToExchange(input, { defaultCountry: 'DE' }).keptBack) {
      if (kept.field !== group || kept.index === null) continue;
      const entry = (written as unknown[])[kept.index];
      const never = kept.reason === 'noExchangeField' || kept.reason === 'notCanonical';
      // Values Exchange never sees survive always; overflow survives one Outlook edit of the field.
      if (never && !now.some((e) => isDeepStrictEqual(e, entry)))
        fail(
          `no data loss: CRM overflow kept (${kept.reason})`,
          `${name}: ${JSON.stringify(entry)} gone from ${group}`,
        );
      if (
        kept.reason === 'limitReached' &&
        touches <= 1 &&
        !now.some((e) => entryValue(group, e) === entryValue(group, entry))
      )
        fail(
          'no data loss: CRM overflow kept (limitReached)',
          `${name}: ${JSON.stringify(entry)} gone from ${group}`,
        );
    }
    if (group === 'emails' && touches <= 1) checkEmailTypes(name, writes.emails ?? [], contact, fail);
  }
}

function checkEmailTypes(name: string, written: CrmContact['emails'], contact: CrmContact, fail: Fail) {
  const same = (a: string) => (e: { address: string }) => e.address.toLowerCase() === a.toLowerCase();
  for (const chosen of written.filter((e) => e.type !== null)) {
    // An address the user entered twice (with two types) has no single type to keep.
    if (written.filter(same(chosen.address)).length > 1) continue;
    const now = contact.emails.filter(same(chosen.address));
    if (now.length === 1 && now[0]?.type !== chosen.type)
      fail(
        'no data loss: e-mail type the user chose',
        `${name}: ${chosen.address} is ${now[0]?.type}, user chose ${chosen.type}`,
      );
  }
}

export function checkUnmapped(token: TokenModel, outlook: Map<string, ExchangeContact>, fail: Fail): void {
  for (const [id, values] of token.unmapped) {
    const contact = outlook.get(id) as Record<string, unknown> | undefined;
    if (!contact) continue;
    for (const [key, value] of Object.entries(values))
      if (contact[key] !== value)
        fail(
          'no data loss: unmapped Outlook field untouched',
          `${token.token} ${key}: ${JSON.stringify(contact[key])}, user set ${JSON.stringify(value)}`,
        );
  }
}
