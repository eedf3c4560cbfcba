import type { CrmContactInput } from '../../../shared/contact/crm-contact.js';
import type { ExchangeFields } from '../../../shared/contact/exchange-contact.js';
import type { Projection } from '../../../shared/contact/types.js';
import type { SlotEdit, TextField } from './arbitraries.js';

/**
 * What the CRM contact must look like after a one-slot Exchange edit that changes or clears
 * an existing value, written independently of the merge: that one value changes, nothing
 * else. Returns undefined for edits that add a new entry (checked differently).
 */
const CRM_FIELD_OF: Record<TextField, keyof CrmContactInput> = {
  title: 'title',
  givenName: 'firstName',
  middleName: 'middleName',
  surname: 'lastName',
  companyName: 'company',
  jobTitle: 'position',
  department: 'department',
  birthday: 'birthday',
};

export function expectedAfterEdit(
  crm: CrmContactInput,
  p: Projection,
  edit: SlotEdit,
): CrmContactInput | undefined {
  const { slots } = p;
  const replace = <T>(list: T[], index: number | null | undefined, change: (entry: T) => T | null) => {
    if (index === null || index === undefined) return undefined;
    return list.flatMap((entry, i) =>
      i === index ? [change(entry)].filter((e): e is T => e !== null) : [entry],
    );
  };
  const value = edit.value;
  switch (edit.field) {
    case 'emailAddresses': {
      const emails = replace(crm.emails, slots.emails[edit.index], (e) =>
        value === null ? null : { ...e, address: `${value}` },
      );
      return emails && edit.kind !== 'add' ? { ...crm, emails } : undefined;
    }
    case 'businessPhones':
    case 'homePhones':
    case 'mobilePhone': {
      const slot = 'index' in edit ? slots[edit.field as 'businessPhones'][edit.index] : slots.mobilePhone;
      const phones = replace(crm.phones, slot, (e) => (value === null ? null : { ...e, number: `${value}` }));
      return phones && edit.kind !== 'add' ? { ...crm, phones } : undefined;
    }
    case 'businessHomePage': {
      const websites = replace(crm.websites, slots.website, (e) =>
        value === null ? null : { ...e, url: `${value}` },
      );
      return websites ? { ...crm, websites } : undefined;
    }
    case 'businessAddress':
    case 'homeAddress':
    case 'otherAddress': {
      const address = value as ExchangeFields['businessAddress'];
      const addresses = replace(crm.addresses, slots[edit.field], (e) =>
        address === null
          ? null
          : {
              ...e,
              street: address.street ?? null,
              postalCode: address.postalCode ?? null,
              city: address.city ?? null,
              country: address.countryOrRegion ?? null,
            },
      );
      return addresses ? { ...crm, addresses } : undefined;
    }
    default:
      return { ...crm, [CRM_FIELD_OF[edit.field]]: value };
  }
}

/** Phone lists compared as sets: typed numbers are placed before untyped ones. */
export function sortedPhones(fields: ExchangeFields): ExchangeFields {
  return {
    ...fields,
    businessPhones: [...fields.businessPhones].sort(),
    homePhones: [...fields.homePhones].sort(),
  };
}
