import fc from 'fast-check';
import type {
  CrmAddress,
  CrmContactInput,
  CrmEmail,
  CrmPhone,
  CrmWebsite,
} from '../../../shared/contact/index.js';

/**
 * The values users type, as abstract specs that the commands turn into real contacts. Pools
 * are small so edits repeat (echoes) and slots overflow (4th e-mail, 3rd phone, 2nd website).
 * E-mail addresses are built from the contact's token (`t3.2@run.example`), so two contacts
 * never match by e-mail by accident: each logical contact stays one entity the model can follow.
 */

export const VARIANTS = ['Anna', 'Bernd', 'Clara'];
export const text = (...values: string[]) => fc.constantFrom<string | null>(...values, null);

export const CRM_PHONES = [
  '030 1234567',
  '+49 40 7654321',
  '0171 2345678',
  '089 111222',
  'abc',
  '+43 1 5551234',
];

export type EmailSpec = { k: number; type: CrmEmail['type'] };

export interface CrmSpec {
  variant?: number;
  salutation?: string | null;
  title?: string | null;
  middleName?: string | null;
  lastName?: string | null;
  company?: string | null;
  position?: string | null;
  department?: string | null;
  birthday?: string | null;
  emails?: EmailSpec[];
  phones?: CrmPhone[];
  websites?: CrmWebsite[];
  addresses?: CrmAddress[];
  notes?: string | null;
}

const address = <T>(type: T) =>
  fc.record({
    type: fc.constant(type),
    street: text('Hauptstr. 1', 'Ringweg 7'),
    postalCode: text('10115', '80331'),
    city: text('Berlin', 'München'),
    country: fc.constantFrom('DE', null),
  });

const crmFields = {
  variant: fc.nat({ max: VARIANTS.length - 1 }),
  salutation: text('Frau', 'Herr'),
  title: text('Dr.', 'Prof.'),
  middleName: text('M.', 'Maria'),
  lastName: text('Berg', 'Stein', 'Meier'),
  company: text('Berg GmbH', 'Stein AG'),
  position: text('Maklerin', 'Notar'),
  department: text('Vertrieb', 'Einkauf'),
  birthday: text('1980-05-01', '1975-12-24'),
  emails: fc.array(
    fc.record({
      k: fc.nat({ max: 5 }),
      type: fc.constantFrom<CrmEmail['type']>('business', 'private', null),
    }),
    { maxLength: 5 },
  ),
  phones: fc.array(
    fc.record({
      number: fc.constantFrom(...CRM_PHONES),
      type: fc.constantFrom<CrmPhone['type']>('business', 'private', 'mobile', 'fax', null),
    }),
    { maxLength: 5 },
  ),
  websites: fc.array(
    fc.record({
      url: fc.constantFrom('https://berg.example', 'https://stein.example', 'www.meier.example'),
      type: fc.constantFrom<CrmWebsite['type']>('business', 'private', null),
    }),
    { maxLength: 2 },
  ),
  addresses: fc.array(
    fc.oneof(address('business' as const), address('private' as const), address('other' as const)),
    {
      maxLength: 3,
    },
  ),
  notes: text('Notiz', 'Rückruf am Montag'),
};

export const crmCreateSpec: fc.Arbitrary<CrmSpec> = fc.record(crmFields);
export const crmPatchSpec: fc.Arbitrary<CrmSpec> = fc
  .record(crmFields, { requiredKeys: [] })
  .filter((spec) => Object.keys(spec).length > 0);

/** The first word of a given name is the contact's token; the rest is what users edit. */
export function firstName(token: string, variant: number): string {
  return `${token} ${VARIANTS[variant % VARIANTS.length]}`;
}

export function tokenOf(name: unknown): string | null {
  return typeof name === 'string' ? (name.trim().split(/\s+/)[0] ?? null) : null;
}

export function emailOf(token: string, k: number, domain: string): string {
  return `${token.toLowerCase()}.${k}@${domain}`;
}

export function crmInput(spec: CrmSpec, token: string, domain: string): Partial<CrmContactInput> {
  const { variant, emails, ...rest } = spec;
  return {
    ...rest,
    ...(variant === undefined ? {} : { firstName: firstName(token, variant) }),
    ...(emails === undefined
      ? {}
      : { emails: emails.map((e) => ({ address: emailOf(token, e.k, domain), type: e.type })) }),
  };
}
