import type { CrmAddress, CrmContact, CrmEmail, CrmPhone, CrmWebsite } from '../contact/crm-contact.js';

/**
 * Where each value of a CRM contact goes in the Outlook CSV. Values that fit an Outlook column
 * go there; what Outlook has no column for (4th e-mail, 3rd business phone, 2nd website, a
 * second address of one type) is returned as overflow for the extra columns, so nothing is lost.
 * Counting (computeMaxCounts) and writing (contactToRow) both use this one placement.
 */

/** Outlook's e-mail slots. "E-mail Type" is Outlook's address type (SMTP), not business/private. */
export const EMAIL_SLOTS = [
  { address: 'E-mail Address', type: 'E-mail Type', crmType: 'E-mail Type (CRM)' },
  { address: 'E-mail 2 Address', type: 'E-mail 2 Type', crmType: 'E-mail 2 Type (CRM)' },
  { address: 'E-mail 3 Address', type: 'E-mail 3 Type', crmType: 'E-mail 3 Type (CRM)' },
] as const;

/** Outlook's phone columns per CRM phone type; a CRM fax has no business/private side. */
export const PHONE_SLOTS: Record<NonNullable<CrmPhone['type']> | 'none', readonly string[]> = {
  business: ['Business Phone', 'Business Phone 2'],
  private: ['Home Phone', 'Home Phone 2'],
  mobile: ['Mobile Phone'],
  fax: ['Business Fax', 'Other Fax'],
  none: ['Other Phone'],
};

export const ADDRESS_PREFIX: Record<CrmAddress['type'], string> = {
  business: 'Business',
  private: 'Home',
  other: 'Other',
};

export interface PlacedContact {
  cells: Map<string, string>;
  overflow: { emails: CrmEmail[]; phones: CrmPhone[]; websites: CrmWebsite[]; addresses: CrmAddress[] };
}

const text = (value: string | null | undefined) => value ?? '';

export function addressCells(prefix: string, address: CrmAddress): [string, string][] {
  return [
    [`${prefix} Street`, text(address.street)],
    [`${prefix} Postal Code`, text(address.postalCode)],
    [`${prefix} City`, text(address.city)],
    [`${prefix} Country/Region`, text(address.country)],
  ];
}

export function placeContact(contact: CrmContact): PlacedContact {
  const cells = new Map<string, string>([
    ['Title', text(contact.title)],
    ['Salutation', text(contact.salutation)],
    ['First Name', text(contact.firstName)],
    ['Middle Name', text(contact.middleName)],
    ['Last Name', text(contact.lastName)],
    ['Company', text(contact.company)],
    ['Department', text(contact.department)],
    ['Job Title', text(contact.position)],
    // ISO 8601 (1980-05-01): unambiguous, and Outlook's importer reads it in every locale.
    ['Birthday', text(contact.birthday)],
    ['Notes', text(contact.notes)],
    ['CRM ID', contact.id],
  ]);

  contact.emails.slice(0, EMAIL_SLOTS.length).forEach((email, i) => {
    const slot = EMAIL_SLOTS[i]!;
    cells.set(slot.address, email.address);
    cells.set(slot.type, 'SMTP');
    cells.set(slot.crmType, text(email.type));
  });

  const phones: CrmPhone[] = [];
  const used = new Set<string>();
  for (const phone of contact.phones) {
    const free = PHONE_SLOTS[phone.type ?? 'none'].find((column) => !used.has(column));
    if (free === undefined) {
      phones.push(phone);
      continue;
    }
    used.add(free);
    cells.set(free, phone.number);
  }

  const [website, ...websites] = contact.websites;
  if (website) {
    cells.set('Web Page', website.url);
    cells.set('Web Page Type (CRM)', text(website.type));
  }

  const addresses: CrmAddress[] = [];
  const usedAddress = new Set<CrmAddress['type']>();
  for (const address of contact.addresses) {
    if (usedAddress.has(address.type)) {
      addresses.push(address);
      continue;
    }
    usedAddress.add(address.type);
    for (const [column, value] of addressCells(ADDRESS_PREFIX[address.type], address))
      cells.set(column, value);
  }

  return {
    cells,
    overflow: { emails: contact.emails.slice(EMAIL_SLOTS.length), phones, websites, addresses },
  };
}
