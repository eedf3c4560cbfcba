import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crmFromExchange, exchangeFieldsOf } from '../../../shared/contact/from-exchange.js';
import { fieldsEqual } from '../../../shared/contact/hash.js';
import { merge } from '../../../shared/contact/merge.js';
import { projectToExchange } from '../../../shared/contact/project.js';
import {
  crmContact,
  DEFAULT_COUNTRY,
  emailAddress,
  FC_RUNS,
  FC_TIMEOUT,
  phoneNumber,
} from './arbitraries.js';
import { contact } from './fixtures/contact.js';

/**
 * Held values (project.ts, held.ts): what Exchange holds that the sync would not write itself
 * keeps its slot while the CRM holds it too. These are the properties the link's snapshot
 * rests on (shared/sync/link.ts).
 */

const options = { defaultCountry: DEFAULT_COUNTRY };

/** An Outlook contact as a user may type it: odd numbers, repeated e-mails, anything. */
const outlookContact = fc.record({
  id: fc.constant('x1'),
  givenName: fc.option(fc.constantFrom('Anna', ' Otto ', ''), { nil: null }),
  emailAddresses: fc.array(
    fc.oneof(emailAddress, fc.constantFrom('otto@odd.de', 'OTTO@odd.de')).map((address) => ({ address })),
    { maxLength: 4 },
  ),
  businessPhones: fc.array(fc.oneof(phoneNumber, fc.constantFrom('4711', '4711 ')), { maxLength: 3 }),
  homePhones: fc.array(phoneNumber, { maxLength: 3 }),
  mobilePhone: fc.option(phoneNumber, { nil: null }),
});

describe('held values', () => {
  it(
    'an Outlook contact makes a CRM contact that agrees with it (the snapshot after a create in the CRM)',
    () => {
      fc.assert(
        fc.property(outlookContact, (graph) => {
          const window = exchangeFieldsOf(graph, DEFAULT_COUNTRY);
          const crm = crmFromExchange(window, 'acc-1');
          expect(projectToExchange(crm, { ...options, held: [window] }).fields).toEqual(window);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'a CRM edit outside the window (the notes) changes nothing in Outlook, whatever Outlook holds',
    () => {
      fc.assert(
        fc.property(outlookContact, fc.string(), (graph, notes) => {
          const window = exchangeFieldsOf(graph, DEFAULT_COUNTRY);
          const crm = { ...crmFromExchange(window, 'acc-1'), notes };
          const at = new Date('2025-03-01T00:00:00Z');
          const result = merge({
            base: window,
            crm,
            exchange: window,
            crmChangedAt: at,
            exchangeChangedAt: at,
            defaultCountry: DEFAULT_COUNTRY,
          });
          expect(result.exchangeChanged).toBe(false);
          expect(result.crmChanged).toBe(false);
          expect(result.exchange).toEqual(window);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'never adds a value that no held window holds, and without held windows changes nothing',
    () => {
      fc.assert(
        fc.property(crmContact, outlookContact, (crm, graph) => {
          const window = exchangeFieldsOf(graph, DEFAULT_COUNTRY);
          const plain = projectToExchange(crm, options).fields;
          const kept = projectToExchange(crm, { ...options, held: [window] }).fields;
          expect(projectToExchange(crm, { ...options, held: [] }).fields).toEqual(plain);
          for (const slot of ['businessPhones', 'homePhones'] as const) {
            for (const value of kept[slot].filter((v) => !plain[slot].includes(v)))
              expect(window[slot]).toContain(value);
          }
          if (kept.mobilePhone !== plain.mobilePhone && kept.mobilePhone !== null)
            expect(window.mobilePhone).toBe(kept.mobilePhone);
          expect(kept.emailAddresses.length).toBeLessThanOrEqual(3);
          expect(kept.businessPhones.length).toBeLessThanOrEqual(2);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it('keeps a number that is not canonical only in the slot Exchange holds it in', () => {
    const crm = contact({
      phones: [
        { number: '4711', type: 'business' },
        { number: '4711', type: 'private' },
        { number: '030 1234567', type: 'private' },
      ],
    });
    const held = [{ ...projectToExchange(contact({}), options).fields, businessPhones: ['4711'] }];
    const { fields, keptBack, slots } = projectToExchange(crm, { ...options, held });
    expect(fields.businessPhones).toEqual(['4711']);
    expect(fields.homePhones).toEqual(['+49301234567']);
    expect(slots.businessPhones).toEqual([0]);
    expect(keptBack).toEqual([{ field: 'phones', index: 1, value: '4711', reason: 'notCanonical' }]);
  });

  it('keeps an e-mail address repeated as often as Exchange holds it, never more', () => {
    const crm = contact({
      emails: ['a@x.de', 'A@x.de', 'a@X.de'].map((address) => ({ address, type: null })),
    });
    const held = [
      { ...projectToExchange(contact({}), options).fields, emailAddresses: ['a@x.de', 'A@x.de'] },
    ];
    const { fields, keptBack } = projectToExchange(crm, { ...options, held });
    expect(fields.emailAddresses).toEqual(['a@x.de', 'A@x.de']);
    expect(keptBack).toEqual([{ field: 'emails', index: 2, value: 'a@X.de', reason: 'duplicate' }]);
    expect(
      fieldsEqual(projectToExchange(crm, options).fields, { ...fields, emailAddresses: ['a@x.de'] }),
    ).toBe(true);
  });

  it('keeps a number Exchange holds twice in one kind of slot twice, and only there', () => {
    const empty = projectToExchange(contact({}), options).fields;
    const crm = contact({
      phones: [
        { number: '030 1234567', type: 'business' },
        { number: '+49 30 1234567', type: 'business' },
        { number: '030 1234567', type: 'private' },
        { number: '030 1234567', type: 'private' },
      ],
    });
    const held = [{ ...empty, businessPhones: ['+49301234567', '+49301234567'] }];
    const { fields, keptBack } = projectToExchange(crm, { ...options, held });
    expect(fields.businessPhones).toEqual(['+49301234567', '+49301234567']);
    expect(fields.homePhones).toEqual(['+49301234567']);
    expect(keptBack).toEqual([{ field: 'phones', index: 3, value: '030 1234567', reason: 'duplicate' }]);
  });

  it('puts an untyped held number where Exchange holds it: business first, else home, never mobile', () => {
    const empty = projectToExchange(contact({}), options).fields;
    const crm = contact({
      phones: [
        { number: '4711', type: null },
        { number: '0815', type: null },
        { number: 'Pforte', type: null },
      ],
    });
    const held = [{ ...empty, homePhones: ['4711'], businessPhones: ['0815'], mobilePhone: 'Pforte' }];
    const { fields, slots, keptBack } = projectToExchange(crm, { ...options, held });
    expect(fields).toMatchObject({ businessPhones: ['0815'], homePhones: ['4711'], mobilePhone: null });
    expect(slots).toMatchObject({ businessPhones: [1], homePhones: [0], mobilePhone: null });
    expect(keptBack).toEqual([{ field: 'phones', index: 2, value: 'Pforte', reason: 'notCanonical' }]);
  });

  it('counts a value as often as the window holding it most often holds it, over several windows', () => {
    const empty = projectToExchange(contact({}), options).fields;
    const crm = contact({
      emails: ['a@x.de', 'a@x.de', 'a@x.de'].map((address) => ({ address, type: null })),
    });
    const held = [
      { ...empty, emailAddresses: ['a@x.de'] },
      { ...empty, emailAddresses: ['a@x.de', 'A@X.de'] },
      { ...empty, emailAddresses: ['b@x.de'] },
    ];
    expect(projectToExchange(crm, { ...options, held }).fields.emailAddresses).toEqual(['a@x.de', 'a@x.de']);
    expect(projectToExchange(crm, { ...options, held: held.reverse() }).fields.emailAddresses).toEqual([
      'a@x.de',
      'a@x.de',
    ]);
  });

  it('holds nothing for empty values, and a held value still needs a free slot', () => {
    const empty = projectToExchange(contact({}), options).fields;
    const crm = contact({
      phones: [
        { number: '030 1111111', type: 'business' },
        { number: '030 2222222', type: 'business' },
        { number: '4711', type: 'business' },
        { number: ' ', type: 'mobile' },
      ],
    });
    const held = [{ ...empty, businessPhones: ['4711', ' '], mobilePhone: ' ' }];
    const { fields, keptBack } = projectToExchange(crm, { ...options, held });
    expect(fields.businessPhones).toEqual(['+49301111111', '+49302222222']);
    expect(fields.mobilePhone).toBeNull();
    expect(keptBack.map((k) => [k.index, k.reason])).toEqual([
      [2, 'notCanonical'],
      [3, 'empty'],
    ]);
  });
});
