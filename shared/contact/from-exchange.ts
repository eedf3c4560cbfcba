import type { CrmAddress, CrmContactInput, CrmPhone } from './crm-contact.js';
import type { ExchangeContact, ExchangeFields, PhysicalAddress } from './exchange-contact.js';
import { EXCHANGE_LIMITS } from './limits.js';
import { cleanAddress, cleanText } from './normalise.js';
import { canonicalPhone } from './phone.js';

/**
 * The Exchange side of the window: reading a Graph contact into ExchangeFields, writing
 * ExchangeFields as a Graph body, and a new CRM contact made from an Exchange one.
 */

/** A Graph contact as read → the normal form of the window (see normalise.ts). */
export function exchangeFieldsOf(contact: ExchangeContact, defaultCountry: string): ExchangeFields {
  const phone = (raw: string | null | undefined): string | null => {
    const text = cleanText(raw);
    if (text === null) return null;
    const canonical = canonicalPhone(text, defaultCountry);
    return canonical.ok ? canonical.canonical : text; // kept as typed: a held value (project.ts)
  };
  const phones = (raw: string[] | null | undefined, limit: number): string[] =>
    (raw ?? [])
      .map(phone)
      .filter((p): p is string => p !== null)
      .slice(0, limit);
  return {
    title: cleanText(contact.title),
    givenName: cleanText(contact.givenName),
    middleName: cleanText(contact.middleName),
    surname: cleanText(contact.surname),
    companyName: cleanText(contact.companyName),
    jobTitle: cleanText(contact.jobTitle),
    department: cleanText(contact.department),
    birthday: birthdayOf(contact.birthday),
    emailAddresses: (contact.emailAddresses ?? [])
      .map((email) => cleanText(email.address))
      .filter((address): address is string => address !== null)
      .slice(0, EXCHANGE_LIMITS.emails),
    businessPhones: phones(contact.businessPhones, EXCHANGE_LIMITS.businessPhones),
    homePhones: phones(contact.homePhones, EXCHANGE_LIMITS.homePhones),
    mobilePhone: phone(contact.mobilePhone),
    businessHomePage: cleanText(contact.businessHomePage),
    businessAddress: cleanAddress(contact.businessAddress),
    homeAddress: cleanAddress(contact.homeAddress),
    otherAddress: cleanAddress(contact.otherAddress),
  };
}

/** `1980-05-01T00:00:00Z` (or any ISO date-time) → `1980-05-01`; anything else → null. */
function birthdayOf(raw: string | null | undefined): string | null {
  const day = cleanText(raw)?.match(/^(\d{4})-(\d{2})-(\d{2})/);
  if (!day) return null;
  const [date, year, month, dayOfMonth] = day as unknown as [string, string, string, string];
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(dayOfMonth)));
  return check.toISOString().startsWith(date) ? date : null;
}

/**
 * The Graph JSON body for a create or PATCH with exactly the given fields. A cleared address
 * is sent as an address with every part null. Graph's `state` is not in the window (the CRM
 * has no field for it), so writing an address replaces whatever `state` Exchange held.
 */
export function toGraphBody(fields: Partial<ExchangeFields>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields) as [keyof ExchangeFields, unknown][]) {
    if (value === undefined) continue;
    if (name === 'emailAddresses') {
      body[name] = (value as string[]).map((address) => ({ address, name: address }));
    } else if (name === 'birthday') {
      body[name] = value === null ? null : `${value as string}T00:00:00Z`;
    } else if (name === 'businessAddress' || name === 'homeAddress' || name === 'otherAddress') {
      body[name] = graphAddress(value as PhysicalAddress | null);
    } else {
      body[name] = value;
    }
  }
  return body;
}

function graphAddress(address: PhysicalAddress | null): PhysicalAddress {
  const clean = cleanAddress(address);
  if (clean === null)
    return { street: null, city: null, state: null, postalCode: null, countryOrRegion: null };
  return clean;
}

/**
 * A new CRM contact from an Exchange one (Exchange → CRM creates). E-mails and the website
 * arrive with type null ("ohne Auswahl", seeds/000); phones and addresses are typed by their
 * slot; the contact carries the account's sync tag so later CRM edits flow back; notes stay
 * empty (never synced).
 */
export function crmFromExchange(fields: ExchangeFields, accountId: string): CrmContactInput {
  const phones: CrmPhone[] = [
    ...fields.businessPhones.map((number) => ({ number, type: 'business' as const })),
    ...fields.homePhones.map((number) => ({ number, type: 'private' as const })),
    ...(fields.mobilePhone === null ? [] : [{ number: fields.mobilePhone, type: 'mobile' as const }]),
  ];
  const address = (type: CrmAddress['type'], value: PhysicalAddress | null): CrmAddress[] => {
    const clean = cleanAddress(value);
    if (clean === null) return [];
    const { street, postalCode, city, countryOrRegion } = clean;
    return [{ type, street, postalCode, city, country: countryOrRegion }];
  };
  return {
    salutation: null,
    title: fields.title,
    firstName: fields.givenName,
    middleName: fields.middleName,
    lastName: fields.surname,
    company: fields.companyName,
    position: fields.jobTitle,
    department: fields.department,
    birthday: fields.birthday,
    emails: fields.emailAddresses.map((address) => ({ address, type: null })),
    phones,
    websites: fields.businessHomePage === null ? [] : [{ url: fields.businessHomePage, type: null }],
    addresses: [
      ...address('business', fields.businessAddress),
      ...address('private', fields.homeAddress),
      ...address('other', fields.otherAddress),
    ],
    notes: null,
    syncAccounts: [accountId],
  };
}
