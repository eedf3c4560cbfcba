import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExchangeContact } from '../../../shared/contact/exchange-contact.js';
import { crmFromExchange, exchangeFieldsOf, toGraphBody } from '../../../shared/contact/from-exchange.js';
import { fieldsEqual } from '../../../shared/contact/hash.js';
import { projectToExchange } from '../../../shared/contact/project.js';
import { crmContact, DEFAULT_COUNTRY, FC_RUNS, FC_TIMEOUT } from './arbitraries.js';

const read = (contact: Omit<ExchangeContact, 'id'>) => exchangeFieldsOf({ id: 'c1', ...contact }, 'DE');

describe('exchangeFieldsOf', () => {
  it('turns missing and empty values into null / []', () => {
    expect(read({})).toEqual({
      title: null,
      givenName: null,
      middleName: null,
      surname: null,
      companyName: null,
      jobTitle: null,
      department: null,
      birthday: null,
      emailAddresses: [],
      businessPhones: [],
      homePhones: [],
      mobilePhone: null,
      businessHomePage: null,
      businessAddress: null,
      homeAddress: null,
      otherAddress: null,
    });
    const blank = read({
      givenName: '  ',
      emailAddresses: null,
      businessAddress: { street: '', city: null },
    });
    expect(blank).toMatchObject({ givenName: null, emailAddresses: [], businessAddress: null });
  });

  it('trims, cuts the birthday to a date and drops empty e-mail addresses', () => {
    const fields = read({
      givenName: ' Anna ',
      birthday: '1980-05-01T00:00:00Z',
      emailAddresses: [{ address: ' a@x.de ', name: 'A' }, { address: '' }, { address: null }, { name: 'x' }],
    });
    expect(fields).toMatchObject({ givenName: 'Anna', birthday: '1980-05-01', emailAddresses: ['a@x.de'] });
    expect(read({ birthday: '1980-02-30T00:00:00Z' }).birthday).toBeNull();
    expect(read({ birthday: 'soon' }).birthday).toBeNull();
  });

  it('canonicalises phones when it can and keeps the rest verbatim', () => {
    const fields = read({
      businessPhones: ['030 1234567', ' 0800 FLOWERS ', ''],
      mobilePhone: '0171 1234567',
    });
    expect(fields.businessPhones).toEqual(['+49301234567', '0800 FLOWERS']);
    expect(fields.mobilePhone).toBe('+491711234567');
  });

  it('caps the lists at the Exchange limits', () => {
    const fields = read({
      emailAddresses: ['1', '2', '3', '4'].map((n) => ({ address: `${n}@x.de` })),
      homePhones: ['030 1000001', '030 1000002', '030 1000003'],
    });
    expect(fields.emailAddresses).toHaveLength(3);
    expect(fields.homePhones).toEqual(['+49301000001', '+49301000002']);
  });

  it('keeps the four address parts the CRM has', () => {
    const fields = read({
      homeAddress: {
        street: 'Ring 2 ',
        city: 'Wien',
        state: 'Wien',
        postalCode: '1010',
        countryOrRegion: 'AT',
      },
    });
    expect(fields.homeAddress).toEqual({
      street: 'Ring 2',
      postalCode: '1010',
      city: 'Wien',
      countryOrRegion: 'AT',
    });
  });
});

describe('toGraphBody', () => {
  it('shapes e-mails, the birthday and cleared addresses as Graph expects', () => {
    expect(
      toGraphBody({ emailAddresses: ['a@x.de'], birthday: '1980-05-01', givenName: null, homeAddress: null }),
    ).toEqual({
      emailAddresses: [{ address: 'a@x.de', name: 'a@x.de' }],
      birthday: '1980-05-01T00:00:00Z',
      givenName: null,
      homeAddress: { street: null, city: null, state: null, postalCode: null, countryOrRegion: null },
    });
    expect(toGraphBody({ birthday: null })).toEqual({ birthday: null });
    expect(toGraphBody({})).toEqual({});
  });

  it(
    'reads back what it wrote (projection → Graph body → exchangeFieldsOf)',
    () => {
      fc.assert(
        fc.property(crmContact, (crm) => {
          const { fields } = projectToExchange(crm, { defaultCountry: DEFAULT_COUNTRY });
          const back = exchangeFieldsOf({ id: 'x', ...toGraphBody(fields) }, DEFAULT_COUNTRY);
          expect(back).toEqual(fields);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );
});

describe('crmFromExchange', () => {
  it('types e-mails and the website "no selection", phones and addresses by slot, tags the account', () => {
    const crm = crmFromExchange(
      {
        ...read({ givenName: 'Anna', surname: 'Müller', birthday: '1980-05-01T00:00:00Z' }),
        emailAddresses: ['a@x.de'],
        businessPhones: ['+49301000001'],
        homePhones: ['+49301000002'],
        mobilePhone: '+491711000003',
        businessHomePage: 'https://a.example',
        otherAddress: { street: null, postalCode: null, city: 'Basel', countryOrRegion: 'CH' },
      },
      'acc-7',
    );
    expect(crm).toMatchObject({ firstName: 'Anna', lastName: 'Müller', birthday: '1980-05-01', notes: null });
    expect(crm.emails).toEqual([{ address: 'a@x.de', type: null }]);
    expect(crm.websites).toEqual([{ url: 'https://a.example', type: null }]);
    expect(crm.phones.map((p) => p.type)).toEqual(['business', 'private', 'mobile']);
    expect(crm.addresses).toEqual([
      { type: 'other', street: null, postalCode: null, city: 'Basel', country: 'CH' },
    ]);
    expect(crm.syncAccounts).toEqual(['acc-7']);
  });

  it(
    'projects back to the same window',
    () => {
      fc.assert(
        fc.property(crmContact, (source) => {
          const { fields } = projectToExchange(source, { defaultCountry: DEFAULT_COUNTRY });
          const created = crmFromExchange(fields, 'acc-1');
          expect(
            fieldsEqual(projectToExchange(created, { defaultCountry: DEFAULT_COUNTRY }).fields, fields),
          ).toBe(true);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );
});
