import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CrmContactInput } from '../../../shared/contact/crm-contact.js';
import type { ExchangeFields, PhysicalAddress } from '../../../shared/contact/exchange-contact.js';
import { merge } from '../../../shared/contact/merge.js';
import { projectToExchange } from '../../../shared/contact/project.js';
import { crmContact, DEFAULT_COUNTRY, FC_RUNS, FC_TIMEOUT } from './arbitraries.js';
import { contact } from './fixtures/contact.js';

/**
 * Soak seed 2030296951 (issue 14) suspected the merge of bringing in an address nobody wrote.
 * It does not: every address of a merge result is one the CRM held or one Exchange holds, and
 * an address only the base held (a value the sync wrote into Outlook, removed since) never
 * comes back. Which of the two a removal is depends on the base alone: the cause was a stale
 * base (the sync's own Exchange write, a crash before the mirror write), shared/sync.
 */
const project = (c: CrmContactInput) => projectToExchange(c, { defaultCountry: DEFAULT_COUNTRY }).fields;
const AT = new Date('2025-06-01T10:00:00Z');
const ADDRESS_FIELDS = ['businessAddress', 'homeAddress', 'otherAddress'] as const;

const key = (a: { street?: unknown; postalCode?: unknown; city?: unknown }, country: unknown) =>
  JSON.stringify([a.street ?? null, a.postalCode ?? null, a.city ?? null, country ?? null]);
const exchangeKeys = (fields: ExchangeFields) =>
  ADDRESS_FIELDS.map((f) => fields[f])
    .filter((a): a is PhysicalAddress => a !== null)
    .map((a) => key(a, a.countryOrRegion));

function mergeOf(
  base: ExchangeFields | null,
  crm: CrmContactInput,
  exchange: ExchangeFields,
  newer: boolean,
) {
  const [crmChangedAt, exchangeChangedAt] = newer ? [AT, new Date(AT.getTime() + 1)] : [AT, AT];
  return merge({ base, crm, exchange, crmChangedAt, exchangeChangedAt, defaultCountry: DEFAULT_COUNTRY });
}

describe('merge: where the addresses of a result come from', () => {
  it(
    'every address is one the CRM held or one Exchange holds, never one only the base held',
    () => {
      fc.assert(
        fc.property(
          crmContact,
          crmContact,
          fc.option(crmContact, { nil: null }),
          fc.boolean(),
          (crm, ex, b, newer) => {
            const result = mergeOf(b === null ? null : project(b), crm, project(ex), newer);
            const allowed = new Set([
              ...crm.addresses.map((a) => key(a, a.country)),
              ...exchangeKeys(project(ex)),
            ]);
            for (const a of result.crm.addresses) expect(allowed).toContain(key(a, a.country));
          },
        ),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it('the seed: an address the sync wrote into Outlook and the CRM user removed since', () => {
    const other = {
      type: 'other' as const,
      street: 'Ringweg 7',
      postalCode: '80331',
      city: 'München',
      country: 'DE',
    };
    const two = [
      { type: 'business' as const, street: null, postalCode: '10115', city: null, country: null },
      { type: 'private' as const, street: 'Hauptstr. 1', postalCode: '10115', city: null, country: 'DE' },
    ];
    const before = contact({ firstName: 'Bernd', lastName: 'Berg', syncAccounts: ['acc-1'] });
    const written = project({ ...before, addresses: [other] }); // what the sync wrote into Outlook
    const now = { ...before, addresses: two }; // the CRM user's edit after that write
    // With the snapshot of the write as the base, the removal is the CRM user's: it wins.
    expect(mergeOf(written, now, written, true).crm.addresses).toEqual(two);
    // With the snapshot from before the write (the mirror write lost to a crash), the copy's
    // address reads as one Outlook added: the merge keeps it, as it must for a real Outlook edit.
    expect(mergeOf(project(before), now, written, true).crm.addresses).toEqual([...two, other]);
  });
});
