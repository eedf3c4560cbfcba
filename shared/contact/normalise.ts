import type { ExchangeFields, PhysicalAddress } from './exchange-contact.js';

/**
 * The normal form of the window: trimmed strings, empty → null, addresses with exactly the
 * four parts the CRM has (Graph's `state` has no CRM field and is not part of the window),
 * an address with every part empty → null. Projection, the Exchange reader, the merge and
 * the hash all use these helpers, so "equal" means the same thing everywhere.
 */

export function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** E-mail addresses are compared case-insensitively ("changed?"), but written as typed. */
export function emailKey(address: string): string {
  return address.trim().toLowerCase();
}

export function sameEmail(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : emailKey(a) === emailKey(b);
}

export function sameText(a: string | null, b: string | null): boolean {
  return cleanText(a) === cleanText(b);
}

export function cleanAddress(address: PhysicalAddress | null | undefined): PhysicalAddress | null {
  if (!address) return null;
  const clean = {
    street: cleanText(address.street),
    postalCode: cleanText(address.postalCode),
    city: cleanText(address.city),
    countryOrRegion: cleanText(address.countryOrRegion),
  };
  return Object.values(clean).every((part) => part === null) ? null : clean;
}

export function sameAddress(a: PhysicalAddress | null, b: PhysicalAddress | null): boolean {
  const x = cleanAddress(a);
  const y = cleanAddress(b);
  if (x === null || y === null) return x === y;
  return (
    x.street === y.street &&
    x.postalCode === y.postalCode &&
    x.city === y.city &&
    x.countryOrRegion === y.countryOrRegion
  );
}

/** A one-line rendering of an address, for `KeptBack.value`. */
export function addressText(address: PhysicalAddress | null): string {
  if (!address) return '';
  const { street, postalCode, city, countryOrRegion } = address;
  return [street, [postalCode, city].filter(Boolean).join(' '), countryOrRegion].filter(Boolean).join(', ');
}

/** The window of a contact with nothing in it; the merge base of a first match. */
export const EMPTY_FIELDS: Readonly<ExchangeFields> = Object.freeze({
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
