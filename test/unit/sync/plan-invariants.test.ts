import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CrmPhone,
  contentHash,
  crmContent,
  type ExchangeFields,
  projectToExchange,
} from '../../../shared/contact/index.js';
import { planCrmChange, planExchangeRemoval } from '../../../shared/sync/plan.js';
import { FC_RUNS } from '../contact/arbitraries.js';
import { account, crmContact, exchangeContact, fields, link } from './support/builders.js';

/**
 * Invariants of the planner that hold whichever branch decides: each one pins a mutant of
 * shared/sync/plan.ts that survived the mutation run (BENCHMARKS.md, Mutation testing).
 */

const now = new Date('2025-03-01T12:00:00Z');
const synced = fields({ givenName: 'Anna', surname: 'Berg', emailAddresses: ['anna@berg.de'] });
const country = fc.constantFrom('DE', 'AT', 'CH', 'FR');
/** Numbers as users type them in the CRM: national forms whose country only the account knows. */
const typedPhone: fc.Arbitrary<CrmPhone> = fc.record({
  number: fc.constantFrom(
    '030 1234567',
    '0171 1234567',
    '01 5123456',
    '044 668 18 00',
    '+49 89 123456',
    '4711',
  ),
  type: fc.constantFrom('business' as const, 'private' as const, 'mobile' as const),
});

describe('what the planner creates in Outlook is the projection with the account’s country', () => {
  it('for a newly tagged contact and for one re-created after an Outlook delete (the CRM edited meanwhile)', () => {
    fc.assert(
      fc.property(country, fc.array(typedPhone, { minLength: 1, maxLength: 3 }), (defaultCountry, phones) => {
        const acc = account({ defaultCountry });
        const crm = crmContact({
          firstName: 'Anna',
          lastName: 'Berg',
          emails: [{ address: 'anna@berg.de', type: 'business' }],
          phones,
          syncAccounts: ['acc-1'],
          version: 2,
        });
        const expected = projectToExchange(crmContent(crm), { defaultCountry }).fields;
        // A number the account's country cannot canonicalise never reaches Outlook (kept back),
        // so a CRM edit of only such numbers does not change the window: no re-creation then.
        fc.pre(contentHash(expected) !== contentHash(synced));
        const created = planCrmChange({ account: acc, link: null, crm, exchange: null, now });
        // The link knew the contact without phones; the CRM added them while Outlook deleted it.
        const recreated = planExchangeRemoval({ account: acc, link: link(synced), crm, exchange: null, now });
        expect(created).toMatchObject({ kind: 'createInExchange', fields: expected, replaces: null });
        expect(recreated).toMatchObject({ kind: 'createInExchange', fields: expected });
        expect(recreated.kind === 'createInExchange' && recreated.replaces?.value.linkId).toBe('crm.c1');
      }),
      { numRuns: FC_RUNS },
    );
  });
});

describe('an unchanged changeKey means Outlook did not edit the copy, whatever its window hashes to', () => {
  // Graph's contact resource: changeKey "identifies the version of the contact. Every time the
  // contact is changed, ChangeKey changes as well." So the changeKey the link stored is proof
  // that no one edited the copy since the last sync, even when the window read now hashes
  // differently from the snapshot (read with other rules than the ones that wrote it): a CRM
  // delete or tag removal is then not overruled as "edit beats delete".
  const otherWindow: fc.Arbitrary<ExchangeFields> = fc
    .record({
      jobTitle: fc.string({ minLength: 1, maxLength: 8 }),
      department: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: null }),
    })
    .map((over) => fields({ ...synced, ...over }));

  it('a CRM delete deletes the copy, and a removed tag deletes it without delivering anything', () => {
    fc.assert(
      fc.property(otherWindow, (window) => {
        expect(contentHash(window)).not.toBe(contentHash(synced));
        const copy = exchangeContact(window, { changeKey: 'ck1' });
        const deleted = planCrmChange({
          account: account(),
          link: link(synced),
          crm: null,
          exchange: copy,
          now,
        });
        const untagged = planCrmChange({
          account: account(),
          link: link(synced),
          crm: crmContact({ firstName: 'Anna', lastName: 'Berg', syncAccounts: [], version: 2 }),
          exchange: copy,
          now,
        });
        expect(deleted).toEqual({ kind: 'deleteExchange', link: link(synced), reason: 'crmDeleted' });
        expect(untagged).toEqual({ kind: 'deleteExchange', link: link(synced), reason: 'tagRemoved' });
      }),
      { numRuns: FC_RUNS },
    );
  });
});
