import fc from 'fast-check';
import { emailOf, firstName, text, VARIANTS } from './values.js';

/**
 * What the Outlook user types: any field of the sync's window, plus two it never maps. Among
 * them what the CRM cannot canonicalise (`4711`, `0815`) and an extension, and an e-mail
 * address twice in one contact: Exchange holds those, the CRM takes them as typed, and the
 * sync must never drop them from Outlook while the CRM holds them (held.ts, issue 14 item 1).
 */
const OUTLOOK_PHONES = [
  '+49301234567',
  '+4940999888',
  '030 7654321',
  '+49891112223',
  '4711',
  '030 1234567 ext. 12',
];
const OUTLOOK_MOBILES = ['+491711234567', '0171 7654321', '0815'];

export interface OutlookSpec {
  variant?: number;
  title?: string | null;
  middleName?: string | null;
  surname?: string | null;
  companyName?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  birthday?: string | null;
  emails?: number[];
  businessPhones?: string[];
  homePhones?: string[];
  mobilePhone?: string | null;
  businessHomePage?: string | null;
  businessAddress?: Record<string, string | null>;
  homeAddress?: Record<string, string | null>;
  otherAddress?: Record<string, string | null>;
  /** Not in the sync's window: must survive every sync write. */
  personalNotes?: string;
  nickName?: string;
}

const graphAddress = fc.record({
  street: text('Hauptstr. 1', 'Ringweg 7'),
  postalCode: text('10115', '80331'),
  city: text('Berlin', 'München'),
  countryOrRegion: text('DE'),
});

const outlookFields = {
  variant: fc.nat({ max: VARIANTS.length - 1 }),
  title: text('Dr.', 'Prof.'),
  middleName: text('M.', 'Maria'),
  surname: text('Berg', 'Stein', 'Meier'),
  companyName: text('Berg GmbH', 'Stein AG'),
  jobTitle: text('Maklerin', 'Notar'),
  department: text('Vertrieb', 'Einkauf'),
  birthday: text('1980-05-01', '1975-12-24'),
  // Mostly distinct addresses; now and then one twice (Outlook lets a user type it as E-Mail 2).
  emails: fc.oneof(
    { weight: 4, arbitrary: fc.uniqueArray(fc.nat({ max: 5 }), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.nat({ max: 5 }).map((k) => [k, k]) },
  ),
  businessPhones: fc.uniqueArray(fc.constantFrom(...OUTLOOK_PHONES), { maxLength: 2 }),
  homePhones: fc.uniqueArray(fc.constantFrom(...OUTLOOK_PHONES), { maxLength: 2 }),
  mobilePhone: fc.constantFrom<string | null>(...OUTLOOK_MOBILES, null),
  businessHomePage: text('https://berg.example', 'https://outlook.example'),
  businessAddress: graphAddress,
  homeAddress: graphAddress,
  otherAddress: graphAddress,
  personalNotes: fc.constantFrom('privat: Hund heißt Bello', 'nur Outlook'),
  nickName: fc.constantFrom('Anni', 'Bernie'),
};

export const outlookCreateSpec: fc.Arbitrary<OutlookSpec> = fc.record(outlookFields, {
  requiredKeys: ['variant', 'surname', 'emails'],
});
export const outlookPatchSpec: fc.Arbitrary<OutlookSpec> = fc
  .record(outlookFields, { requiredKeys: [] })
  .filter((spec) => Object.keys(spec).length > 0);

export function graphBody(spec: OutlookSpec, token: string, domain: string): Record<string, unknown> {
  const { variant, emails, birthday, ...rest } = spec;
  return {
    ...rest,
    ...(variant === undefined ? {} : { givenName: firstName(token, variant) }),
    ...(birthday === undefined ? {} : { birthday: birthday === null ? null : `${birthday}T00:00:00Z` }),
    ...(emails === undefined
      ? {}
      : { emailAddresses: emails.map((k) => ({ address: emailOf(token, k, domain), name: token })) }),
  };
}
