import type { ExchangeContact, ExchangeFields, PhysicalAddress } from '../../contact/exchange-contact.js';
import { birthdayFromGraph, birthdayToGraph } from '../graph/birthday.js';
import {
  ADDRESS_PARTS,
  CONTACT_FIELD_URIS,
  EMAIL_KEYS,
  extendedKey,
  LINK_PROPERTY,
  TITLE_PROPERTY,
} from './ews-schema.js';
import { attributes, child, children, el, type XmlElement } from './xml.js';

/**
 * The EWS contact ⇄ the port's contact, both ways, pure. Only the shape is EWS-specific: the
 * window (ExchangeFields) and its limits are the shared core's (shared/contact/). Slots:
 * emailAddresses[i] ⇄ EmailAddress{i+1}; businessPhones ⇄ BusinessPhone, BusinessPhone2;
 * homePhones ⇄ HomePhone, HomePhone2; mobilePhone ⇄ MobilePhone; the three addresses ⇄
 * Business/Home/Other; businessHomePage ⇄ BusinessHomePage; title ⇄ PidTagDisplayNamePrefix.
 * The Body (the user's notes) is never requested and never written.
 */
const PLAIN: [keyof ExchangeFields, string][] = [
  ['givenName', 'GivenName'],
  ['middleName', 'MiddleName'],
  ['companyName', 'CompanyName'],
  ['birthday', 'Birthday'],
  ['businessHomePage', 'BusinessHomePage'],
  ['department', 'Department'],
  ['jobTitle', 'JobTitle'],
  ['surname', 'Surname'],
];
const PHONE_SLOTS = {
  businessPhones: ['BusinessPhone', 'BusinessPhone2'],
  homePhones: ['HomePhone', 'HomePhone2'],
} as const;
const ADDRESSES = [
  ['businessAddress', 'Business'],
  ['homeAddress', 'Home'],
  ['otherAddress', 'Other'],
] as const;
const PART_OF: Record<(typeof ADDRESS_PARTS)[number], keyof PhysicalAddress> = {
  Street: 'street',
  City: 'city',
  State: 'state',
  CountryOrRegion: 'countryOrRegion',
  PostalCode: 'postalCode',
};

/** GetItem's shape: IdOnly plus exactly what the mapping reads (never item:Body). */
export const ITEM_SHAPE =
  '<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>' +
  [
    'item:ParentFolderId',
    'item:LastModifiedTime',
    'contacts:DisplayName',
    'contacts:EmailAddresses',
    'contacts:PhoneNumbers',
    'contacts:PhysicalAddresses',
  ]
    .concat(PLAIN.map(([, name]) => CONTACT_FIELD_URIS[name] ?? `contacts:${name}`))
    .map((uri) => `<t:FieldURI FieldURI="${uri}"/>`)
    .join('') +
  `<t:ExtendedFieldURI${attributes(TITLE_PROPERTY)}/><t:ExtendedFieldURI${attributes(LINK_PROPERTY)}/>` +
  '</t:AdditionalProperties></m:ItemShape>';

export interface EwsContact {
  contact: ExchangeContact;
  linkId: string | null;
}

/**
 * A `t:Contact` of a GetItem answer as the port's contact; its birthday the date it falls on
 * in the mailbox's time zone `zone` (see birthdayFromEws).
 */
export function fromEwsContact(element: XmlElement, zone?: string): EwsContact {
  const id = child(element, 'ItemId');
  const text = (name: string) => {
    const value = child(element, name)?.text;
    return value === undefined || value === '' ? null : value;
  };
  const entries = (name: string) =>
    new Map(children(child(element, name), 'Entry').map((e) => [e.attrs['Key'] ?? '', e] as const));
  const emails = entries('EmailAddresses');
  const phones = entries('PhoneNumbers');
  const addresses = entries('PhysicalAddresses');
  const extended = new Map(
    children(element, 'ExtendedProperty').map((p) => [
      extendedKey(child(p, 'ExtendedFieldURI')?.attrs ?? {}),
      child(p, 'Value')?.text ?? '',
    ]),
  );
  const phone = (key: string) => phones.get(key)?.text || null;
  const address = (key: string): PhysicalAddress | null => {
    const entry = addresses.get(key);
    if (!entry) return null;
    const out: PhysicalAddress = {};
    for (const part of ADDRESS_PARTS) {
      const value = child(entry, part)?.text;
      if (value) out[PART_OF[part]] = value;
    }
    return Object.keys(out).length > 0 ? out : null;
  };
  const contact: ExchangeContact = {
    id: id?.attrs['Id'] ?? '',
    changeKey: id?.attrs['ChangeKey'] ?? null,
    lastModifiedDateTime: text('LastModifiedTime'),
    parentFolderId: child(element, 'ParentFolderId')?.attrs['Id'] ?? null,
    displayName: text('DisplayName'),
    title: extended.get(extendedKey(TITLE_PROPERTY)) || null,
    emailAddresses: EMAIL_KEYS.map((k) => emails.get(k)?.text ?? '')
      .filter((a) => a !== '')
      .map((address) => ({ address, name: address })),
    businessPhones: PHONE_SLOTS.businessPhones.map(phone).filter((p): p is string => p !== null),
    homePhones: PHONE_SLOTS.homePhones.map(phone).filter((p): p is string => p !== null),
    mobilePhone: phone('MobilePhone'),
    businessAddress: address('Business'),
    homeAddress: address('Home'),
    otherAddress: address('Other'),
  };
  for (const [field, name] of PLAIN) (contact as Record<string, unknown>)[field] = text(name);
  contact.birthday = birthdayFromEws(contact.birthday ?? null, zone);
  return { contact, linkId: extended.get(extendedKey(LINK_PROPERTY)) || null };
}

/**
 * EWS carries a birthday as an instant (Birthday, xs:dateTime: the contact's PidTagBirthday).
 * Outlook stores the local midnight of the zone of the client the user typed it in (the
 * "birthday one day off" cases of MAPI clients in another zone), so the date is the one the
 * instant falls on in the mailbox's time zone (`zone`, mailbox-time-zone.ts), the shared pure
 * core of Graph's adapter (graph/birthday.ts), and we write the local midnight of that zone,
 * as Outlook there does. Without a zone (no mailbox at hand): the date 12 hours later in UTC,
 * right for every writer from UTC−11 to UTC+12.
 */
export function birthdayFromEws(value: string | null, zone?: string): string | null {
  if (!value) return null;
  if (zone) return birthdayFromGraph(value, zone);
  const instant = Date.parse(value);
  if (Number.isNaN(instant)) return null;
  return new Date(instant + 12 * 3600_000).toISOString().slice(0, 10);
}

function birthdayToEws(date: string, zone?: string): string {
  return zone ? birthdayToGraph(date, zone) : `${date}T00:00:00Z`;
}

/** What Exchange would show as the name: the non-empty name parts (as graph/contact-writes.ts). */
export function generatedName(fields: {
  givenName?: string | null | undefined;
  middleName?: string | null | undefined;
  surname?: string | null | undefined;
}): string {
  return [fields.givenName, fields.middleName, fields.surname]
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((p) => p.trim())
    .join(' ');
}

/** The `t:Contact` of a CreateItem, in schema order, with the link marker (birthday: local midnight of `zone`). */
export function toEwsContact(fields: ExchangeFields, linkId: string, zone?: string): string {
  const name = generatedName(fields) || fields.companyName || '';
  const parts: string[] = [el('t:ItemClass', 'IPM.Contact')];
  if (fields.title) parts.push(extendedXml(TITLE_PROPERTY, fields.title));
  parts.push(extendedXml(LINK_PROPERTY, linkId));
  if (name) parts.push(el('t:FileAs', name), el('t:DisplayName', name));
  const plain = (key: keyof ExchangeFields, elName: string) => {
    const value = fields[key];
    if (typeof value === 'string' && value !== '')
      parts.push(el(`t:${elName}`, key === 'birthday' ? birthdayToEws(value, zone) : value));
  };
  plain('givenName', 'GivenName');
  plain('middleName', 'MiddleName');
  plain('companyName', 'CompanyName');
  const emails = fields.emailAddresses.slice(0, EMAIL_KEYS.length);
  if (emails.length > 0)
    parts.push(
      `<t:EmailAddresses>${emails.map((a, i) => el('t:Entry', a, { Key: EMAIL_KEYS[i] ?? '' })).join('')}</t:EmailAddresses>`,
    );
  const addresses = ADDRESSES.filter(([key]) => hasAddress(fields[key]));
  if (addresses.length > 0)
    parts.push(
      `<t:PhysicalAddresses>${addresses.map(([key, ews]) => `<t:Entry Key="${ews}">${addressParts(fields[key])}</t:Entry>`).join('')}</t:PhysicalAddresses>`,
    );
  const phones = phoneEntries(fields);
  if (phones.length > 0)
    parts.push(
      `<t:PhoneNumbers>${phones.map(([k, v]) => el('t:Entry', v, { Key: k })).join('')}</t:PhoneNumbers>`,
    );
  for (const [key, elName] of PLAIN.slice(3)) plain(key, elName);
  return `<t:Contact>${parts.join('')}</t:Contact>`;
}

/**
 * The `t:Updates` of an UpdateItem for exactly the given fields: SetItemField for a value,
 * DeleteItemField for an emptied one. A removed e-mail is a DeleteItemField of its whole slot
 * (`contacts:EmailAddress` + FieldIndex), which clears address, name and routing type.
 * `current` tells which slots hold something, so only those are cleared.
 */
export function toEwsUpdates(
  fields: Partial<ExchangeFields>,
  current?: ExchangeContact,
  zone?: string,
): string[] {
  const out: string[] = [];
  const set = (uri: string, contactXml: string) =>
    out.push(`<t:SetItemField>${uri}<t:Contact>${contactXml}</t:Contact></t:SetItemField>`);
  const del = (uri: string) => out.push(`<t:DeleteItemField>${uri}</t:DeleteItemField>`);
  const field = (name: string) => `<t:FieldURI FieldURI="contacts:${name}"/>`;
  const indexed = (uri: string, index: string) =>
    `<t:IndexedFieldURI FieldURI="${uri}" FieldIndex="${index}"/>`;
  if (fields.title !== undefined) {
    const uri = `<t:ExtendedFieldURI${attributes(TITLE_PROPERTY)}/>`;
    if (fields.title) set(uri, extendedXml(TITLE_PROPERTY, fields.title));
    else if (current?.title !== null) del(uri);
  }
  const names = ['givenName', 'middleName', 'surname'] as const;
  if (current && names.some((n) => fields[n] !== undefined)) {
    // A displayName Exchange generated follows the new name; one the user chose stays.
    const before = generatedName(current);
    if (!current.displayName || current.displayName === before) {
      const after = generatedName({ ...current, ...fields });
      if (after) {
        set(field('DisplayName'), el('t:DisplayName', after));
        set(field('FileAs'), el('t:FileAs', after));
      }
    }
  }
  for (const [key, name] of PLAIN) {
    const value = fields[key];
    if (value === undefined) continue;
    if (typeof value === 'string' && value !== '')
      set(field(name), el(`t:${name}`, key === 'birthday' ? birthdayToEws(value, zone) : value));
    else del(field(name));
  }
  if (fields.emailAddresses !== undefined) {
    const had = current?.emailAddresses?.length ?? EMAIL_KEYS.length;
    EMAIL_KEYS.forEach((slot, i) => {
      const address = fields.emailAddresses?.[i];
      const uri = indexed('contacts:EmailAddress', slot);
      if (address) set(uri, `<t:EmailAddresses>${el('t:Entry', address, { Key: slot })}</t:EmailAddresses>`);
      else if (i < had) del(uri);
    });
  }
  const phone = (slot: string, value: string | null | undefined) => {
    const uri = indexed('contacts:PhoneNumber', slot);
    if (value) set(uri, `<t:PhoneNumbers>${el('t:Entry', value, { Key: slot })}</t:PhoneNumbers>`);
    else del(uri);
  };
  for (const list of ['businessPhones', 'homePhones'] as const) {
    const values = fields[list];
    if (values === undefined) continue;
    PHONE_SLOTS[list].forEach((slot, i) => {
      phone(slot, values[i]);
    });
  }
  if (fields.mobilePhone !== undefined) phone('MobilePhone', fields.mobilePhone);
  for (const [key, ews] of ADDRESSES) {
    const address = fields[key];
    if (address === undefined) continue;
    for (const part of ADDRESS_PARTS) {
      const value = address?.[PART_OF[part]];
      const uri = indexed(`contacts:PhysicalAddress:${part}`, ews);
      if (value)
        set(
          uri,
          `<t:PhysicalAddresses><t:Entry Key="${ews}">${el(`t:${part}`, value)}</t:Entry></t:PhysicalAddresses>`,
        );
      else del(uri);
    }
  }
  return out;
}

function phoneEntries(fields: ExchangeFields): [string, string][] {
  const out: [string, string][] = [];
  PHONE_SLOTS.businessPhones.forEach((slot, i) => {
    const v = fields.businessPhones[i];
    if (v) out.push([slot, v]);
  });
  PHONE_SLOTS.homePhones.forEach((slot, i) => {
    const v = fields.homePhones[i];
    if (v) out.push([slot, v]);
  });
  if (fields.mobilePhone) out.push(['MobilePhone', fields.mobilePhone]);
  // PhoneNumberKeyType's enumeration order is not an xs:sequence: any entry order is valid.
  return out;
}

function hasAddress(address: PhysicalAddress | null): boolean {
  return address !== null && ADDRESS_PARTS.some((p) => !!address[PART_OF[p]]);
}

function addressParts(address: PhysicalAddress | null): string {
  return ADDRESS_PARTS.filter((p) => !!address?.[PART_OF[p]])
    .map((p) => el(`t:${p}`, address?.[PART_OF[p]] ?? ''))
    .join('');
}

export function extendedXml(uri: Record<string, string>, value: string): string {
  return `<t:ExtendedProperty><t:ExtendedFieldURI${attributes(uri)}/>${el('t:Value', value)}</t:ExtendedProperty>`;
}
