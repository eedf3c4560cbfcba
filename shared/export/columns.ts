import type { CrmContact } from '../contact/crm-contact.js';
import { OUTLOOK_COLUMNS } from './outlook-columns.js';
import { placeContact } from './place-contact.js';

/**
 * The CSV's columns: Outlook's 92 in Outlook's order (so Outlook imports the file), then our
 * extension columns. Fixed extensions carry what Outlook has no field for (the salutation "Frau" —
 * Outlook's "Title" holds the academic title "Dr." —, the business/private type of e-mails and the
 * website, the CRM id); numbered extensions carry the overflow, as many as `ExtraCounts` says.
 */

export const FIXED_EXTRA_COLUMNS = [
  'Salutation',
  'E-mail Type (CRM)',
  'E-mail 2 Type (CRM)',
  'E-mail 3 Type (CRM)',
  'Web Page Type (CRM)',
  'CRM ID',
] as const;

/** How many overflow entries (beyond Outlook's columns) the file has room for, per kind. */
export interface ExtraCounts {
  emails: number;
  phones: number;
  websites: number;
  addresses: number;
}

export const NO_EXTRAS: Readonly<ExtraCounts> = Object.freeze({
  emails: 0,
  phones: 0,
  websites: 0,
  addresses: 0,
});

/** E-mails 4…, numbered on from Outlook's three. */
export const extraEmailColumns = (n: number) => [`E-mail ${n + 3} Address`, `E-mail ${n + 3} Type (CRM)`];
/** Phones with no free Outlook column of their type, numbered on from "Other Phone". */
export const extraPhoneColumns = (n: number) => [`Other Phone ${n + 1}`, `Other Phone ${n + 1} Type (CRM)`];
export const extraWebsiteColumns = (n: number) => [`Web Page ${n + 1}`, `Web Page ${n + 1} Type (CRM)`];
/** A second address of a type Outlook already filled. */
export const extraAddressPrefix = (n: number) => `Additional Address ${n}`;
export const extraAddressColumns = (n: number) => {
  const prefix = extraAddressPrefix(n);
  return [
    `${prefix} Type`,
    `${prefix} Street`,
    `${prefix} Postal Code`,
    `${prefix} City`,
    `${prefix} Country/Region`,
  ];
};

const numbered = (count: number, columns: (n: number) => string[]) =>
  Array.from({ length: count }, (_, i) => columns(i + 1)).flat();

export function columnsFor(maxCounts: ExtraCounts): string[] {
  return [
    ...OUTLOOK_COLUMNS,
    ...FIXED_EXTRA_COLUMNS,
    ...numbered(maxCounts.emails, extraEmailColumns),
    ...numbered(maxCounts.phones, extraPhoneColumns),
    ...numbered(maxCounts.websites, extraWebsiteColumns),
    ...numbered(maxCounts.addresses, extraAddressColumns),
  ];
}

export function extraCountsOf(contact: CrmContact): ExtraCounts {
  const { overflow } = placeContact(contact);
  return {
    emails: overflow.emails.length,
    phones: overflow.phones.length,
    websites: overflow.websites.length,
    addresses: overflow.addresses.length,
  };
}

export function maxCounts(a: ExtraCounts, b: ExtraCounts): ExtraCounts {
  return {
    emails: Math.max(a.emails, b.emails),
    phones: Math.max(a.phones, b.phones),
    websites: Math.max(a.websites, b.websites),
    addresses: Math.max(a.addresses, b.addresses),
  };
}
