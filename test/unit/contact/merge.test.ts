import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CrmContactInput } from '../../../shared/contact/crm-contact.js';
import { EXCHANGE_FIELD_NAMES, type ExchangeFields } from '../../../shared/contact/exchange-contact.js';
import { fieldsEqual } from '../../../shared/contact/hash.js';
import { merge } from '../../../shared/contact/merge.js';
import { projectToExchange } from '../../../shared/contact/project.js';
import { crmContact, DEFAULT_COUNTRY, FC_RUNS, FC_TIMEOUT, slotEdit } from './arbitraries.js';
import { contact } from './fixtures/contact.js';
import { expectedAfterEdit, sortedPhones } from './merge-model.js';

const project = (c: CrmContactInput) => projectToExchange(c, { defaultCountry: DEFAULT_COUNTRY });
const EARLIER = new Date('2025-06-01T10:00:00Z');
const LATER = new Date('2025-06-01T11:00:00Z');
const instant = fc.date({ min: EARLIER, max: LATER, noInvalidDate: true });
const NOT_EMAILS = EXCHANGE_FIELD_NAMES.filter((name) => name !== 'emailAddresses');

function mergeOf(
  base: ExchangeFields | null,
  crm: CrmContactInput,
  exchange: ExchangeFields,
  exchangeNewer = true,
) {
  const [crmChangedAt, exchangeChangedAt] = exchangeNewer ? [EARLIER, LATER] : [LATER, EARLIER];
  return merge({ base, crm, exchange, crmChangedAt, exchangeChangedAt, defaultCountry: DEFAULT_COUNTRY });
}

describe('merge: properties', () => {
  it(
    'an echo is a no-op',
    () => {
      fc.assert(
        fc.property(crmContact, instant, instant, (crm, crmChangedAt, exchangeChangedAt) => {
          const { fields } = project(crm);
          const result = merge({
            base: fields,
            crm,
            exchange: fields,
            crmChangedAt,
            exchangeChangedAt,
            defaultCountry: 'DE',
          });
          expect(result.crm).toEqual(crm);
          expect(result).toMatchObject({ crmChanged: false, exchangeChanged: false, conflicts: [] });
          expect(result.exchange).toEqual(fields);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'an Exchange edit of one slot changes exactly that value in the CRM and nothing else',
    () => {
      fc.assert(
        fc.property(crmContact, fc.gen(), (crm, g) => {
          const p = project(crm);
          const edit = g(slotEdit, p.fields);
          const result = mergeOf(p.fields, crm, edit.exchange, g(fc.boolean));
          expect(result.conflicts).toEqual([]);
          expect(result.crmChanged).toBe(true);
          const expected = expectedAfterEdit(crm, p, edit);
          if (expected) expect(result.crm).toEqual(expected);
          else {
            // a new entry: the CRM gains exactly one entry, everything else stays as it was
            const { emails, phones, websites, addresses, ...rest } = result.crm;
            const { emails: e0, phones: p0, websites: w0, addresses: a0, ...rest0 } = crm;
            expect(rest).toEqual(rest0);
            const grown = [emails.length - e0.length, phones.length - p0.length, websites.length - w0.length];
            expect([...grown, addresses.length - a0.length].sort()).toEqual([0, 0, 0, 1]);
            for (const [after, before] of [
              [emails, e0],
              [phones, p0],
              [websites, w0],
              [addresses, a0],
            ] as const) {
              const kept = (after as unknown[]).filter((entry) =>
                (before as unknown[]).some((b) => b === entry),
              );
              expect(kept.length).toBe(before.length);
            }
          }
          // The window shows the edit, unless the edit freed a CRM entry that was held back as a
          // duplicate of the old value: that entry then moves up into the window.
          const hadDuplicate = p.keptBack.some((k) => k.reason === 'duplicate');
          if (edit.kind !== 'remove' && edit.kind !== 'clear' && !hadDuplicate) {
            expect(sortedPhones(result.exchange)).toEqual(sortedPhones(edit.exchange));
          }
          expect(result.exchange).toEqual(project(result.crm).fields);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'is idempotent: merging its own result again changes nothing',
    () => {
      fc.assert(
        fc.property(crmContact, crmContact, fc.gen(), instant, instant, (crm, other, g, at1, at2) => {
          const p = project(crm);
          const base = g(fc.constantFrom, p.fields, null, project(other).fields);
          const exchange = g(fc.boolean) ? g(slotEdit, p.fields).exchange : project(other).fields;
          const first = merge({
            base,
            crm,
            exchange,
            crmChangedAt: at1,
            exchangeChangedAt: at2,
            defaultCountry: 'DE',
          });
          expect(first.exchange).toEqual(project(first.crm).fields);
          const again = mergeOf(first.exchange, first.crm, first.exchange);
          expect(again.crm).toEqual(first.crm);
          expect(again).toMatchObject({ crmChanged: false, exchangeChanged: false, conflicts: [] });
          expect(again.exchange).toEqual(first.exchange);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'keeps the e-mails and their types through any number of round trips with edits of other fields',
    () => {
      fc.assert(
        fc.property(crmContact, fc.integer({ min: 1, max: 6 }), fc.gen(), (crm, rounds, g) => {
          let current = crm;
          let mirror = project(crm).fields;
          for (let round = 0; round < rounds; round++) {
            const edit = g(slotEdit, mirror, NOT_EMAILS);
            const result = mergeOf(mirror, current, edit.exchange, g(fc.boolean));
            expect(result.conflicts).toEqual([]);
            [current, mirror] = [result.crm, result.exchange];
          }
          expect(current.emails).toEqual(crm.emails);
          expect(current.notes).toBe(crm.notes);
          expect(current.salutation).toBe(crm.salutation);
          expect(current.syncAccounts).toEqual(crm.syncAccounts);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'a CRM-only edit (exchange = base) never changes the CRM and yields its projection',
    () => {
      fc.assert(
        fc.property(crmContact, crmContact, fc.boolean(), (before, after, exchangeNewer) => {
          const base = project(before).fields;
          const result = mergeOf(base, after, base, exchangeNewer);
          expect(result.crm).toEqual(after);
          expect(result.crmChanged).toBe(false);
          expect(result.conflicts).toEqual([]);
          expect(result.exchange).toEqual(project(after).fields);
          expect(result.exchangeChanged).toBe(!fieldsEqual(project(after).fields, base));
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'never loses overflow: notes, salutation, fax, 4th+ e-mails, unplaced phones survive any merge',
    () => {
      fc.assert(
        fc.property(
          crmContact,
          crmContact,
          fc.option(crmContact, { nil: null }),
          fc.boolean(),
          (crm, ex, b, newer) => {
            const base = b === null ? null : project(b).fields;
            const result = mergeOf(base, crm, project(ex).fields, newer);
            expect(result.crm.notes).toBe(crm.notes);
            expect(result.crm.salutation).toBe(crm.salutation);
            expect(result.crm.syncAccounts).toEqual(crm.syncAccounts);
            const p = project(crm);
            const overflow = p.keptBack.filter(
              (k) => k.field === 'phones' || k.field === 'emails' || k.field === 'websites',
            );
            for (const k of overflow) {
              const list = { phones: crm.phones, emails: crm.emails, websites: crm.websites }[
                k.field as 'phones'
              ];
              expect(result.crm[k.field as 'phones']).toContainEqual(list[k.index as number]);
            }
          },
        ),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );
});

describe('merge: rules', () => {
  const anna = contact({
    firstName: 'Anna',
    notes: 'nur vormittags',
    emails: [
      { address: 'a@x.de', type: 'business' },
      { address: 'b@x.de', type: 'private' },
      { address: 'c@x.de', type: null },
      { address: 'd@x.de', type: 'business' },
    ],
    phones: [
      { number: '030 1000001', type: 'business' },
      { number: '030 1000009', type: 'fax' },
      { number: '0800 FLOWERS', type: 'business' },
    ],
    websites: [
      { url: 'https://a.example', type: 'private' },
      { url: 'https://b.example', type: 'business' },
    ],
    addresses: [{ type: 'business', street: 'Hauptstr. 1', city: 'Berlin', country: 'DE' }],
    syncAccounts: ['acc-1'],
  });
  const base = project(anna).fields;
  const edited = (change: Partial<ExchangeFields>) => ({ ...base, ...change });

  it('both sides changed a field differently: the newer wins, the conflict is recorded', () => {
    const crm = { ...anna, firstName: 'Anne' };
    const exchangeWins = mergeOf(base, crm, edited({ givenName: 'Anja' }), true);
    expect(exchangeWins.crm.firstName).toBe('Anja');
    expect(exchangeWins.conflicts).toEqual([
      { field: 'givenName', base: 'Anna', crm: 'Anne', exchange: 'Anja', winner: 'exchange' },
    ]);
    const crmWins = mergeOf(base, crm, edited({ givenName: 'Anja' }), false);
    expect(crmWins).toMatchObject({ crmChanged: false, exchangeChanged: true });
    expect(crmWins.exchange.givenName).toBe('Anne');
    expect(crmWins.conflicts[0]?.winner).toBe('crm');
  });

  it('a tie of change times goes to the CRM', () => {
    const crm = { ...anna, lastName: 'Meier' };
    const at = new Date('2025-06-01T10:00:00Z');
    const result = merge({
      base,
      crm,
      exchange: edited({ surname: 'Schulz' }),
      crmChangedAt: at,
      exchangeChangedAt: at,
      defaultCountry: 'DE',
    });
    expect(result.crm.lastName).toBe('Meier');
    expect(result.conflicts[0]?.winner).toBe('crm');
  });

  it('both sides made the same change: no conflict', () => {
    const result = mergeOf(base, { ...anna, company: 'ACME' }, edited({ companyName: 'ACME' }));
    expect(result.conflicts).toEqual([]);
    expect(result).toMatchObject({ crmChanged: false, exchangeChanged: false });
  });

  it('a first match (base null): the non-empty side wins, different values conflict, e-mails unite', () => {
    const crm = contact({
      firstName: 'Anna',
      lastName: 'Alt',
      emails: [{ address: 'a@x.de', type: 'private' }],
    });
    const exchange = edited({
      givenName: null,
      surname: 'Neu',
      companyName: 'ACME',
      emailAddresses: ['A@X.de', 'z@x.de'],
      businessPhones: [],
      businessHomePage: null,
      businessAddress: null,
    });
    const result = mergeOf(null, crm, exchange, true);
    expect(result.crm).toMatchObject({ firstName: 'Anna', lastName: 'Neu', company: 'ACME' });
    expect(result.crm.emails).toEqual([
      { address: 'a@x.de', type: 'private' },
      { address: 'z@x.de', type: null },
    ]);
    expect(result.conflicts.map((c) => c.field)).toEqual(['surname']);
    expect(result.exchange.givenName).toBe('Anna');
  });

  it('an e-mail edited in Exchange is written as typed and keeps the type the user chose', () => {
    const result = mergeOf(base, anna, edited({ emailAddresses: ['a@x.de', 'Neu@X.de', 'c@x.de'] }));
    expect(result.crm.emails[1]).toEqual({ address: 'Neu@X.de', type: 'private' });
    expect(result.crm.emails[3]).toEqual({ address: 'd@x.de', type: 'business' });
  });

  it('a change of case only is no change', () => {
    const result = mergeOf(base, anna, edited({ emailAddresses: ['A@X.DE', 'b@x.de', 'c@x.de'] }));
    expect(result).toMatchObject({ crmChanged: false, exchangeChanged: false });
  });

  it('an e-mail emptied in Exchange removes that CRM entry; the 4th moves up into the window', () => {
    const result = mergeOf(base, anna, edited({ emailAddresses: ['a@x.de', 'c@x.de'] }));
    expect(result.crm.emails.map((e) => e.address)).toEqual(['a@x.de', 'c@x.de', 'd@x.de']);
    expect(result.exchange.emailAddresses).toEqual(['a@x.de', 'c@x.de', 'd@x.de']);
    expect(result.exchangeChanged).toBe(true);
  });

  it('a value added in Exchange goes before the overflow and gets the slot type', () => {
    const result = mergeOf(
      base,
      anna,
      edited({ homePhones: ['+49301000002'], mobilePhone: '+491711000003' }),
    );
    expect(result.crm.phones).toEqual([
      { number: '030 1000001', type: 'business' },
      { number: '+49301000002', type: 'private' },
      { number: '+491711000003', type: 'mobile' },
      { number: '030 1000009', type: 'fax' },
      { number: '0800 FLOWERS', type: 'business' },
    ]);
    expect(result.exchangeChanged).toBe(false);
  });

  it('a website edited in Exchange changes the first website and keeps its type', () => {
    const result = mergeOf(base, anna, edited({ businessHomePage: 'https://neu.example' }));
    expect(result.crm.websites).toEqual([
      { url: 'https://neu.example', type: 'private' },
      { url: 'https://b.example', type: 'business' },
    ]);
  });

  it('an address edited in Exchange changes that CRM address; a new one gets the slot type', () => {
    const home = { street: 'Ring 2', postalCode: '1010', city: 'Wien', countryOrRegion: 'AT' };
    const result = mergeOf(base, anna, edited({ businessAddress: null, homeAddress: home }));
    expect(result.crm.addresses).toEqual([
      { type: 'private', street: 'Ring 2', postalCode: '1010', city: 'Wien', country: 'AT' },
    ]);
  });

  it('a number Exchange holds in a form that cannot be canonicalised reaches the CRM and stays in Exchange', () => {
    const result = mergeOf(base, anna, edited({ businessPhones: ['030 HOTLINE'] }));
    expect(result.crm.phones[0]).toEqual({ number: '030 HOTLINE', type: 'business' });
    expect(result.exchange.businessPhones).toEqual(['030 HOTLINE']);
    expect(result.keptBack.filter((k) => k.value === '030 HOTLINE')).toEqual([]);
  });

  it('a held value both sides keep is no change of either side', () => {
    const odd = edited({ businessPhones: ['4711'], emailAddresses: ['a@x.de', 'A@x.de'] });
    const crm = {
      ...anna,
      emails: [
        { address: 'a@x.de', type: null },
        { address: 'A@x.de', type: null },
      ],
      phones: [{ number: '4711', type: 'business' as const }],
      notes: 'edited in the CRM',
    };
    const result = mergeOf(odd, crm, odd);
    expect(result.crmChanged).toBe(false);
    expect(result.exchangeChanged).toBe(false);
    expect(result.exchange).toEqual(odd);
  });

  it('the CRM removed what Exchange edited: a conflict', () => {
    const crm = { ...anna, websites: [] };
    const result = mergeOf(base, crm, edited({ businessHomePage: 'https://neu.example' }), true);
    expect(result.crm.websites).toEqual([{ url: 'https://neu.example', type: null }]);
    expect(result.conflicts).toEqual([
      {
        field: 'businessHomePage',
        base: 'https://a.example',
        crm: null,
        exchange: 'https://neu.example',
        winner: 'exchange',
      },
    ]);
  });

  it('a list slot changed on both sides: a conflict named by its base index', () => {
    const crm = { ...anna, emails: anna.emails.map((e, i) => (i === 1 ? { ...e, address: 'crm@x.de' } : e)) };
    const result = mergeOf(base, crm, edited({ emailAddresses: ['a@x.de', 'ex@x.de', 'c@x.de'] }), false);
    expect(result.conflicts).toEqual([
      { field: 'emailAddresses[1]', base: 'b@x.de', crm: 'crm@x.de', exchange: 'ex@x.de', winner: 'crm' },
    ]);
    expect(result.crm).toEqual(crm);
  });

  it('never touches notes, salutation, fax, overflow or the sync tag', () => {
    const result = mergeOf(
      base,
      { ...anna, salutation: 'Frau' },
      edited({ givenName: null, emailAddresses: [] }),
    );
    expect(result.crm).toMatchObject({
      notes: 'nur vormittags',
      salutation: 'Frau',
      syncAccounts: ['acc-1'],
    });
    expect(result.crm.emails).toEqual([{ address: 'd@x.de', type: 'business' }]);
    expect(result.crm.phones).toEqual(anna.phones);
  });
});
