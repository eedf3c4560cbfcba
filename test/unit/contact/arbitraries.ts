import fc from 'fast-check';
import type {
  CrmAddress,
  CrmContactInput,
  CrmEmail,
  CrmPhone,
  CrmWebsite,
} from '../../../shared/contact/crm-contact.js';
import {
  EXCHANGE_FIELD_NAMES,
  type ExchangeFields,
  type PhysicalAddress,
} from '../../../shared/contact/exchange-contact.js';

/**
 * Generators for messy real-world CRM contacts. Values the Exchange-edit generators produce
 * (edit-*.example e-mails, +49 89 9… numbers) never occur in these contacts, so an edit never
 * collides with an existing value by accident.
 */

export const FC_RUNS = Number(process.env.FC_RUNS ?? 200);
/** Per-test timeout for property tests: grows with FC_RUNS so long local runs do not time out. */
export const FC_TIMEOUT = Math.max(30_000, FC_RUNS * 60);
export const DEFAULT_COUNTRY = 'DE';

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
/** Subscriber numbers never start with 0 or 9 here (9 is reserved for the edit generator). */
const subscriber = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: 8 }), digits(min - 1, max - 1))
    .map(([first, rest]) => `${first}${rest}`);

const germanNumber = fc
  .tuple(fc.constantFrom('30', '40', '221', '711', '171', '151', '160'), subscriber(6, 7))
  .chain(([area, number]) =>
    fc.constantFrom(
      `0${area} ${number}`,
      `(0${area}) ${number}`,
      `0${area}/${number}`,
      `+49 ${area} ${number}`,
      `+49 (0)${area} ${number}`,
      `0049 ${area} ${number}`,
      `+49${area}${number}`,
    ),
  );
const foreignNumber = fc.oneof(
  subscriber(6, 7).map((n) => `+43 1 ${n}`),
  subscriber(7, 7).map((n) => `+41 44 ${n}`),
  digits(4, 4).map((n) => `+44 20 7946 ${n}`),
  digits(2, 2).map((n) => `+1 202 555 01${n}`),
  digits(2, 2).map((n) => `001 202 555 01${n}`),
);
const brokenNumber = fc.oneof(
  fc.constantFrom('', '   ', 'abc', '12', '0800 FLOWERS', '+49', 'n/a', '030 1234567 ext. 12', '+49 30 1'),
  fc.string({ maxLength: 20 }),
  fc.string({ minLength: 300, maxLength: 600 }),
);
export const phoneNumber = fc.oneof(
  { arbitrary: germanNumber, weight: 5 },
  { arbitrary: foreignNumber, weight: 2 },
  { arbitrary: brokenNumber, weight: 1 },
);
export const phone: fc.Arbitrary<CrmPhone> = fc.record({
  number: phoneNumber,
  type: fc.constantFrom('business', 'private', 'mobile', 'fax', null),
});

const localPart = fc.constantFrom('anna', 'max.mustermann', 'info', 'Jörg', 'o.brien', 'sales');
const domain = fc.constantFrom('example.de', 'Firma.DE', 'mail.example.com', 'müller.at');
const mixedCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
export const emailAddress = fc.oneof(
  { arbitrary: fc.tuple(localPart, domain).chain(([l, d]) => mixedCase(`${l}@${d}`)), weight: 6 },
  { arbitrary: fc.constantFrom('', '  ', ' padded@example.de '), weight: 1 },
  { arbitrary: fc.string({ minLength: 200, maxLength: 400 }).map((s) => `${s}@long.example`), weight: 1 },
);
export const email: fc.Arbitrary<CrmEmail> = fc.record({
  address: emailAddress,
  type: fc.constantFrom('business', 'private', null),
});

export const website: fc.Arbitrary<CrmWebsite> = fc.record({
  url: fc.oneof(fc.constantFrom('', ' ', 'https://makler.example.de', 'www.firma.de '), fc.webUrl()),
  type: fc.constantFrom('business', 'private', null),
});

const part = fc.option(
  fc.oneof(fc.constantFrom('', ' ', 'Hauptstraße 1', '10115', 'Berlin', 'Zürich'), fc.string()),
  {
    nil: null,
  },
);
export const address: fc.Arbitrary<CrmAddress> = fc.record(
  {
    type: fc.constantFrom('business', 'private', 'other'),
    street: part,
    postalCode: part,
    city: part,
    country: fc.option(fc.constantFrom('DE', 'AT', 'CH', 'Deutschland', ''), { nil: null }),
  },
  { requiredKeys: ['type'] },
);

export const text = fc.option(
  fc.oneof(
    {
      arbitrary: fc.constantFrom('Anna', 'Müller', 'Łukasz', '王芳', 'Zoë', 'Ólafur', '  Max  ', ''),
      weight: 4,
    },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
    { arbitrary: fc.string({ minLength: 1000, maxLength: 3000 }), weight: 1 },
  ),
  { nil: null },
);
const birthday = fc.option(
  fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2020-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  { nil: null },
);

export const crmContact: fc.Arbitrary<CrmContactInput> = fc.record({
  salutation: fc.option(fc.constantFrom('Herr', 'Frau', '', 'Divers'), { nil: null }),
  title: fc.option(fc.constantFrom('Dr.', 'Prof. Dr.', ''), { nil: null }),
  firstName: text,
  middleName: text,
  lastName: text,
  company: text,
  position: text,
  department: text,
  birthday,
  emails: fc.array(email, { maxLength: 8 }),
  phones: fc.array(phone, { maxLength: 8 }),
  websites: fc.array(website, { maxLength: 3 }),
  addresses: fc.array(address, { maxLength: 5 }),
  notes: fc.option(
    fc.oneof(
      fc.constantFrom('', '  '),
      fc.oneof(fc.string(), fc.constant('Rückruf bitte nur vormittags.')).map((s) => `NOTE⟦${s}⟧`),
    ),
    { nil: null },
  ),
  syncAccounts: fc.array(fc.constantFrom('acc-1', 'acc-2', 'acc-3'), { maxLength: 2 }),
});

/* ---- Exchange edits: one slot of a window changed, as a user would in Outlook ---- */

export type TextField =
  | 'title'
  | 'givenName'
  | 'middleName'
  | 'surname'
  | 'companyName'
  | 'jobTitle'
  | 'department'
  | 'birthday';
export const TEXT_FIELDS: readonly TextField[] = [
  'title',
  'givenName',
  'middleName',
  'surname',
  'companyName',
  'jobTitle',
  'department',
  'birthday',
];
export type ListField = 'emailAddresses' | 'businessPhones' | 'homePhones';
export type SingleField =
  | 'mobilePhone'
  | 'businessHomePage'
  | 'businessAddress'
  | 'homeAddress'
  | 'otherAddress';

export type SlotEdit =
  | { field: TextField | SingleField; kind: 'set' | 'clear'; value: unknown; exchange: ExchangeFields }
  | {
      field: ListField;
      kind: 'modify' | 'remove' | 'add';
      index: number;
      value: string | null;
      exchange: ExchangeFields;
    };

const LIST_LIMIT: Record<ListField, number> = { emailAddresses: 3, businessPhones: 2, homePhones: 2 };

export const freshText = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => `✎ ${s}`.trim());
export const freshBirthday = fc
  .date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
export const freshEmail = fc
  .tuple(fc.constantFrom('neu', 'Edited.User', 'x'), fc.nat(99_999))
  .map(([l, n]) => `${l}@edit-${n}.example`);
export const freshPhone = digits(6, 6).map((d) => `+49899${d}`);
export const freshWebsite = fc.nat(99_999).map((n) => `https://edit-${n}.example`);
export const freshAddress: fc.Arbitrary<PhysicalAddress> = fc
  .tuple(fc.nat(999), digits(4, 4))
  .map(([n, zip]) => ({
    street: `✎ Weg ${n}`,
    postalCode: `8${zip}`,
    city: 'München',
    countryOrRegion: 'DE',
  }));

function freshValueFor(field: TextField | SingleField | ListField): fc.Arbitrary<unknown> {
  if (field === 'birthday') return freshBirthday;
  if (field === 'emailAddresses') return freshEmail;
  if (field === 'businessPhones' || field === 'homePhones' || field === 'mobilePhone') return freshPhone;
  if (field === 'businessHomePage') return freshWebsite;
  if (field === 'businessAddress' || field === 'homeAddress' || field === 'otherAddress') return freshAddress;
  return freshText;
}

type EditPlan =
  | { field: TextField | SingleField; kind: 'set' | 'clear' }
  | { field: ListField; kind: 'modify' | 'remove' | 'add'; index: number };

function plansFor(fields: ExchangeFields, only: readonly (keyof ExchangeFields)[]): EditPlan[] {
  const plans: EditPlan[] = [];
  const singles: (TextField | SingleField)[] = [...TEXT_FIELDS, 'mobilePhone', 'businessHomePage'];
  singles.push('businessAddress', 'homeAddress', 'otherAddress');
  for (const field of singles.filter((f) => only.includes(f))) {
    plans.push({ field, kind: 'set' });
    if (fields[field] !== null) plans.push({ field, kind: 'clear' });
  }
  const lists: ListField[] = ['emailAddresses', 'businessPhones', 'homePhones'];
  for (const field of lists.filter((f) => only.includes(f))) {
    const length = fields[field].length;
    for (let index = 0; index < length; index++) {
      plans.push({ field, kind: 'modify', index }, { field, kind: 'remove', index });
    }
    if (length < LIST_LIMIT[field]) plans.push({ field, kind: 'add', index: length });
  }
  return plans;
}

/** One Exchange edit of one slot of `fields`, restricted to the given fields. */
export function slotEdit(
  fields: ExchangeFields,
  only: readonly (keyof ExchangeFields)[] = EXCHANGE_FIELD_NAMES,
): fc.Arbitrary<SlotEdit> {
  return fc.constantFrom(...plansFor(fields, only)).chain((plan) =>
    freshValueFor(plan.field).map((fresh): SlotEdit => {
      if (plan.field === 'emailAddresses' || plan.field === 'businessPhones' || plan.field === 'homePhones') {
        const { field, kind, index } = plan as Extract<EditPlan, { index: number }>;
        const list = [...fields[field]];
        const value = kind === 'remove' ? null : (fresh as string);
        if (kind === 'remove') list.splice(index, 1);
        else list[index] = fresh as string;
        return { field, kind, index, value, exchange: { ...fields, [field]: list } };
      }
      const { field, kind } = plan as Extract<EditPlan, { kind: 'set' | 'clear' }>;
      const value = kind === 'clear' ? null : fresh;
      return { field, kind, value, exchange: { ...fields, [field]: value } };
    }),
  );
}
