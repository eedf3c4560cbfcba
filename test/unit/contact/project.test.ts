import fc from 'fast-check';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import type { CrmContactInput } from '../../../shared/contact/crm-contact.js';
import { crmFromExchange } from '../../../shared/contact/from-exchange.js';
import { EMPTY_FIELDS } from '../../../shared/contact/index.js';
import { EXCHANGE_LIMITS } from '../../../shared/contact/limits.js';
import { projectToExchange } from '../../../shared/contact/project.js';
import { crmContact, DEFAULT_COUNTRY, FC_RUNS, FC_TIMEOUT } from './arbitraries.js';
import { contact } from './fixtures/contact.js';

const project = (c: CrmContactInput) => projectToExchange(c, { defaultCountry: DEFAULT_COUNTRY });

describe('projectToExchange: properties', () => {
  it(
    'respects every limit, never carries notes, and puts only valid canonical numbers, once per kind of slot',
    () => {
      fc.assert(
        fc.property(crmContact, (crm) => {
          const { fields } = project(crm);
          expect(fields.emailAddresses.length).toBeLessThanOrEqual(EXCHANGE_LIMITS.emails);
          expect(fields.businessPhones.length).toBeLessThanOrEqual(EXCHANGE_LIMITS.businessPhones);
          expect(fields.homePhones.length).toBeLessThanOrEqual(EXCHANGE_LIMITS.homePhones);
          const phones = [...fields.businessPhones, ...fields.homePhones, fields.mobilePhone].filter(
            (p) => p !== null,
          );
          for (const number of phones) expect(number).toMatch(/^\+[1-9]\d{6,14}( x\d{1,7})?$/);
          for (const number of phones) expect(isValidPhoneNumber(number.replace(/ x\d+$/, ''))).toBe(true);
          // unique per kind of slot: the same number may be a business and a mobile phone
          for (const list of [fields.businessPhones, fields.homePhones])
            expect(new Set(list).size).toBe(list.length);
          const lower = fields.emailAddresses.map((e) => e.toLowerCase());
          expect(new Set(lower).size).toBe(lower.length);
          expect(project({ ...crm, notes: null }).fields).toEqual(fields); // notes change nothing
          if (crm.notes !== null) expect(JSON.stringify(fields)).not.toContain('NOTE⟦');
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'accounts for every CRM value: either in a slot or kept back with a reason',
    () => {
      fc.assert(
        fc.property(crmContact, (crm) => {
          const { slots, keptBack } = project(crm);
          const keptIndices = (field: string) =>
            keptBack.filter((k) => k.field === field).map((k) => k.index);
          const accounted = (field: string, slotted: (number | null)[], length: number) => {
            const all = [...slotted.filter((i) => i !== null), ...keptIndices(field)].sort(
              (a, b) => Number(a) - Number(b),
            );
            expect(all).toEqual([...Array(length).keys()]);
          };
          accounted('emails', slots.emails, crm.emails.length);
          accounted(
            'phones',
            [...slots.businessPhones, ...slots.homePhones, slots.mobilePhone],
            crm.phones.length,
          );
          accounted('websites', [slots.website], crm.websites.length);
          accounted(
            'addresses',
            [slots.businessAddress, slots.homeAddress, slots.otherAddress],
            crm.addresses.length,
          );
          expect(keptIndices('notes').length).toBe(crm.notes?.trim() ? 1 : 0);
          expect(keptIndices('salutation').length).toBe(crm.salutation?.trim() ? 1 : 0);
          for (const k of keptBack) expect(k.reason).toBeTruthy();
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'the slot map points at the CRM entry each slot was filled from',
    () => {
      fc.assert(
        fc.property(crmContact, (crm) => {
          const { fields, slots } = project(crm);
          const slotted = slots.emails.map((crmIndex) => crm.emails[crmIndex]?.address.trim());
          expect(slotted).toEqual(fields.emailAddresses);
          if (slots.website !== null)
            expect(crm.websites[slots.website]?.url.trim()).toBe(fields.businessHomePage);
          if (slots.mobilePhone !== null) expect(crm.phones[slots.mobilePhone]?.type).toBe('mobile');
          for (const i of slots.businessPhones) expect(['business', null]).toContain(crm.phones[i]?.type);
          for (const i of slots.homePhones) expect(['private', null]).toContain(crm.phones[i]?.type);
          if (slots.homeAddress !== null) expect(crm.addresses[slots.homeAddress]?.type).toBe('private');
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );
});

describe('projectToExchange: slot rules', () => {
  it('maps the names and trims; empty strings become null; salutation is kept back', () => {
    const p = project(
      contact({ salutation: 'Frau', title: 'Dr.', firstName: ' Anna ', middleName: '', lastName: 'Müller' }),
    );
    expect(p.fields).toMatchObject({ title: 'Dr.', givenName: 'Anna', middleName: null, surname: 'Müller' });
    expect(p.keptBack).toEqual([
      { field: 'salutation', index: null, value: 'Frau', reason: 'noExchangeField' },
    ]);
    const q = project(
      contact({ company: 'ACME', position: 'CEO', department: 'Vertrieb', birthday: '1980-05-01' }),
    );
    expect(q.fields).toMatchObject({
      companyName: 'ACME',
      jobTitle: 'CEO',
      department: 'Vertrieb',
      birthday: '1980-05-01',
    });
  });

  it('never projects notes and keeps them back', () => {
    const p = project(contact({ notes: 'geheim' }));
    expect(JSON.stringify(p.fields)).not.toContain('geheim');
    expect(p.keptBack).toEqual([
      { field: 'notes', index: null, value: 'geheim', reason: 'notesNeverSynced' },
    ]);
  });

  it('passes very long values through unchanged', () => {
    const long = 'x'.repeat(100_000);
    expect(project(contact({ lastName: long })).fields.surname).toBe(long);
  });

  it('fills the 3 e-mail slots in CRM order, skipping empty ones and duplicates', () => {
    const emails = ['', 'a@x.de', ' b@x.de ', 'A@X.de', 'c@x.de', 'd@x.de'].map((address, i) => ({
      address,
      type: (['business', 'private', null] as const)[i % 3] ?? null,
    }));
    const p = project(contact({ emails }));
    expect(p.fields.emailAddresses).toEqual(['a@x.de', 'b@x.de', 'c@x.de']);
    expect(p.slots.emails).toEqual([1, 2, 4]);
    expect(p.keptBack.map((k) => [k.index, k.reason])).toEqual([
      [0, 'empty'],
      [3, 'duplicate'],
      [5, 'limitReached'],
    ]);
  });

  it('canonicalises phones and keeps back what cannot be canonicalised', () => {
    const p = project(
      contact({
        phones: [
          { number: '0800 FLOWERS', type: 'business' },
          { number: '030 1234567', type: 'business' },
        ],
      }),
    );
    expect(p.fields.businessPhones).toEqual(['+49301234567']);
    expect(p.keptBack).toEqual([
      { field: 'phones', index: 0, value: '0800 FLOWERS', reason: 'notCanonical' },
    ]);
  });

  it('puts typed phones in their slots: business 2, private 2, the first mobile', () => {
    const phones = [
      { number: '030 1000001', type: 'business' },
      { number: '0171 1000001', type: 'mobile' },
      { number: '030 1000002', type: 'private' },
      { number: '030 1000003', type: 'business' },
      { number: '030 1000004', type: 'business' },
      { number: '0171 1000002', type: 'mobile' },
      { number: '030 1000005', type: 'fax' },
    ] as const;
    const p = project(contact({ phones: [...phones] }));
    expect(p.fields.businessPhones).toEqual(['+49301000001', '+49301000003']);
    expect(p.fields.homePhones).toEqual(['+49301000002']);
    expect(p.fields.mobilePhone).toBe('+491711000001');
    expect(p.slots).toMatchObject({ businessPhones: [0, 3], homePhones: [2], mobilePhone: 1 });
    expect(p.keptBack.map((k) => [k.index, k.reason])).toEqual([
      [4, 'limitReached'],
      [5, 'limitReached'],
      [6, 'noExchangeField'],
    ]);
  });

  it('fills free business slots, then free home slots with untyped phones, never the mobile slot', () => {
    const untyped = ['030 2000001', '030 2000002', '030 2000003', '030 2000004', '0171 2000005'];
    const phones = [
      ...untyped.map((number) => ({ number, type: null })),
      { number: '030 2000006', type: 'business' as const },
    ];
    const p = project(contact({ phones }));
    expect(p.fields.businessPhones).toEqual(['+49302000006', '+49302000001']);
    expect(p.fields.homePhones).toEqual(['+49302000002', '+49302000003']);
    expect(p.fields.mobilePhone).toBeNull();
    expect(p.slots).toMatchObject({ businessPhones: [5, 0], homePhones: [1, 2], mobilePhone: null });
    expect(p.keptBack.map((k) => [k.index, k.reason])).toEqual([
      [3, 'limitReached'],
      [4, 'limitReached'],
    ]);
  });

  it('places an E.164 number once per kind of slot, whatever its formats', () => {
    const phones = [
      { number: '030 1234567', type: 'business' as const },
      { number: '+49 30 1234567', type: 'business' as const },
      { number: '+49 (0)30 123 45 67', type: 'private' as const },
      { number: '0049301234567', type: null },
    ];
    const p = project(contact({ phones }));
    expect(p.fields.businessPhones).toEqual(['+49301234567']);
    // Outlook allows the same number as business and home phone: both survive a round trip.
    expect(p.fields.homePhones).toEqual(['+49301234567']);
    expect(p.keptBack.map((k) => [k.index, k.reason])).toEqual([
      [1, 'duplicate'],
      [3, 'duplicate'],
    ]);
  });

  it('round-trips an Outlook contact with one number as business and home phone', () => {
    const fields = {
      ...EMPTY_FIELDS,
      surname: 'Berg',
      businessPhones: ['+49891112223'],
      homePhones: ['+49891112223'],
    };
    const p = projectToExchange(crmFromExchange(fields, 'a1'), { defaultCountry: 'DE' });
    expect(p.fields.businessPhones).toEqual(['+49891112223']);
    expect(p.fields.homePhones).toEqual(['+49891112223']);
  });

  it('keeps back empty phones', () => {
    const p = project(contact({ phones: [{ number: '  ', type: 'mobile' }] }));
    expect(p.fields.mobilePhone).toBeNull();
    expect(p.keptBack).toEqual([{ field: 'phones', index: 0, value: '  ', reason: 'empty' }]);
  });

  it('takes the first non-empty website of any type', () => {
    const websites = [
      { url: ' ', type: 'business' as const },
      { url: 'https://privat.example', type: 'private' as const },
      { url: 'https://firma.example', type: 'business' as const },
    ];
    const p = project(contact({ websites }));
    expect(p.fields.businessHomePage).toBe('https://privat.example');
    expect(p.slots.website).toBe(1);
    expect(p.keptBack.map((k) => [k.index, k.reason])).toEqual([
      [0, 'empty'],
      [2, 'limitReached'],
    ]);
  });

  it('takes the first non-empty address of each type; the country code stays as it is', () => {
    const addresses = [
      { type: 'business' as const, street: ' ', city: null },
      {
        type: 'business' as const,
        street: 'Hauptstr. 1',
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
      },
      { type: 'private' as const, city: 'Wien', country: 'AT' },
      { type: 'business' as const, city: 'Hamburg' },
      { type: 'other' as const, city: 'Basel', country: 'CH' },
    ];
    const p = project(contact({ addresses }));
    expect(p.fields.businessAddress).toEqual({
      street: 'Hauptstr. 1',
      postalCode: '10115',
      city: 'Berlin',
      countryOrRegion: 'DE',
    });
    expect(p.fields.homeAddress).toEqual({
      street: null,
      postalCode: null,
      city: 'Wien',
      countryOrRegion: 'AT',
    });
    expect(p.fields.otherAddress).toMatchObject({ city: 'Basel', countryOrRegion: 'CH' });
    expect(p.slots).toMatchObject({ businessAddress: 1, homeAddress: 2, otherAddress: 4 });
    expect(p.keptBack).toEqual([
      { field: 'addresses', index: 0, value: '', reason: 'empty' },
      { field: 'addresses', index: 3, value: 'Hamburg', reason: 'limitReached' },
    ]);
  });
});
