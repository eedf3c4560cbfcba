import {
  ADDRESS_KEYS,
  ADDRESS_PARTS,
  CONTACT_ELEMENT_ORDER,
  EMAIL_KEYS,
  extendedKey,
  PHONE_KEYS,
} from '../../../shared/adapters/ews/ews-schema.js';
import { el, esc, NS, type XmlElement } from '../../../shared/adapters/ews/xml.js';
import { enumerationError, MessageError, SchemaError } from './soap-response.js';
import type { ContactData, Item } from './store.js';

/**
 * A `t:Contact` element in and out, checked as Exchange's schema validation checks it: child
 * order (xs:sequence), only types-namespace children, enumerated keys. Read-only elements the
 * client may not set (CompleteName, ItemId, …) answer ErrorInvalidPropertySet on write.
 */
const ORDER = new Map<string, number>(CONTACT_ELEMENT_ORDER.map((name, i) => [name, i]));
const PLAIN = [
  'FileAs',
  'DisplayName',
  'GivenName',
  'MiddleName',
  'CompanyName',
  'Birthday',
  'BusinessHomePage',
  'Department',
  'JobTitle',
  'Surname',
  'ItemClass',
  'Subject',
  'Body',
];
const READ_ONLY = new Set([
  'ItemId',
  'ParentFolderId',
  'CompleteName',
  'DateTimeCreated',
  'LastModifiedTime',
  'Size',
]);

export function checkOrder(parent: XmlElement): void {
  let last = -1;
  for (const c of parent.children) {
    const index = ORDER.get(c.name);
    if (c.ns !== NS.types || index === undefined)
      throw new SchemaError(
        `The element 'Contact' in namespace '${NS.types}' has invalid child element '${c.name}' in namespace '${c.ns}'.`,
      );
    if (index < last || (index === last && c.name !== 'ExtendedProperty'))
      throw new SchemaError(
        `The element 'Contact' in namespace '${NS.types}' has invalid child element '${c.name}' in namespace '${c.ns}'.`,
      );
    last = index;
  }
}

/** Reads a Contact for CreateItem or SetItemField into stored data. */
export function readContact(contact: XmlElement): ContactData {
  checkOrder(contact);
  const data: ContactData = { fields: {}, emails: {}, phones: {}, addresses: {}, extended: {} };
  for (const c of contact.children) {
    if (READ_ONLY.has(c.name))
      throw new MessageError('ErrorInvalidPropertySet', `Set action is invalid for property ${c.name}.`);
    if (PLAIN.includes(c.name)) data.fields[c.name] = c.text;
    else if (c.name === 'EmailAddresses')
      for (const e of entries(c, EMAIL_KEYS, 'EmailAddressKeyType')) data.emails[e.key] = e.el.text;
    else if (c.name === 'PhoneNumbers')
      for (const e of entries(c, PHONE_KEYS, 'PhoneNumberKeyType')) data.phones[e.key] = e.el.text;
    else if (c.name === 'PhysicalAddresses')
      for (const e of entries(c, ADDRESS_KEYS, 'PhysicalAddressKeyType'))
        data.addresses[e.key] = readAddress(e.el);
    else if (c.name === 'ExtendedProperty') {
      const uri = c.children.find((x) => x.name === 'ExtendedFieldURI');
      const value = c.children.find((x) => x.name === 'Value');
      if (!uri || !value) throw new SchemaError("The element 'ExtendedProperty' has incomplete content.");
      data.extended[extendedKey(uri.attrs)] = value.text;
    }
  }
  return data;
}

function entries(parent: XmlElement, keys: readonly string[], type: string) {
  return parent.children.map((entry) => {
    if (entry.name !== 'Entry' || entry.ns !== NS.types)
      throw new SchemaError(`The element '${parent.name}' has invalid child element '${entry.name}'.`);
    const key = entry.attrs['Key'] ?? '';
    if (!keys.includes(key)) throw enumerationError(key, type);
    return { key, el: entry };
  });
}

function readAddress(entry: XmlElement): Record<string, string> {
  const parts: Record<string, string> = {};
  let last = -1;
  for (const p of entry.children) {
    const index = (ADDRESS_PARTS as readonly string[]).indexOf(p.name);
    if (index <= last) throw new SchemaError(`The element 'Entry' has invalid child element '${p.name}'.`);
    last = index;
    parts[p.name] = p.text;
  }
  return parts;
}

export interface Shape {
  base: 'IdOnly' | 'Default' | 'AllProperties';
  fieldUris: Set<string>;
  extended: Record<string, string>[];
}

const DEFAULT_FIELDS = [
  'DisplayName',
  'GivenName',
  'Surname',
  'CompanyName',
  'EmailAddresses',
  'PhoneNumbers',
  'PhysicalAddresses',
  'JobTitle',
  'FileAs',
];

/** Serialises an item in schema order with what the shape asks for. */
export function writeContact(item: Item, shape: Shape, parentChangeKey: string): string {
  const wants = (name: string, uri: string) =>
    shape.fieldUris.has(uri) ||
    (shape.base === 'AllProperties' && name !== 'Body') ||
    (shape.base === 'Default' && DEFAULT_FIELDS.includes(name));
  const d = item.data;
  const parts: string[] = [`<t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/>`];
  if (shape.base !== 'IdOnly' || shape.fieldUris.has('item:ParentFolderId'))
    parts.push(`<t:ParentFolderId Id="${esc(item.folderId)}" ChangeKey="${esc(parentChangeKey)}"/>`);
  if (wants('ItemClass', 'item:ItemClass'))
    parts.push(el('t:ItemClass', d.fields['ItemClass'] ?? 'IPM.Contact'));
  if (shape.fieldUris.has('item:Body') || shape.base === 'AllProperties')
    parts.push(el('t:Body', d.fields['Body'] ?? '', { BodyType: 'Text' }));
  for (const attrs of shape.extended) {
    const value = d.extended[extendedKey(attrs)];
    if (value === undefined) continue;
    const uri = Object.entries(attrs)
      .map(([k, v]) => ` ${k}="${esc(v)}"`)
      .join('');
    parts.push(`<t:ExtendedProperty><t:ExtendedFieldURI${uri}/>${el('t:Value', value)}</t:ExtendedProperty>`);
  }
  if (wants('LastModifiedTime', 'item:LastModifiedTime'))
    parts.push(el('t:LastModifiedTime', item.modified.replace(/\.\d{3}Z$/, 'Z')));
  const plain = (name: string) => {
    const value = d.fields[name];
    if (value !== undefined && wants(name, `contacts:${name}`)) parts.push(el(`t:${name}`, value));
  };
  for (const name of ['FileAs', 'DisplayName', 'GivenName', 'MiddleName', 'CompanyName']) plain(name);
  const indexed = (name: string, uri: string, values: Record<string, string>, keys: readonly string[]) => {
    const present = keys.filter((k) => values[k] !== undefined);
    if (present.length > 0 && wants(name, uri))
      parts.push(
        `<t:${name}>${present.map((k) => el('t:Entry', values[k] ?? '', { Key: k })).join('')}</t:${name}>`,
      );
  };
  indexed('EmailAddresses', 'contacts:EmailAddresses', d.emails, EMAIL_KEYS);
  const addressKeys = ADDRESS_KEYS.filter(
    (k) => d.addresses[k] && Object.keys(d.addresses[k] ?? {}).length > 0,
  );
  if (addressKeys.length > 0 && wants('PhysicalAddresses', 'contacts:PhysicalAddresses'))
    parts.push(
      `<t:PhysicalAddresses>${addressKeys
        .map((k) => {
          const a = d.addresses[k] ?? {};
          return `<t:Entry Key="${k}">${ADDRESS_PARTS.filter((p) => a[p] !== undefined)
            .map((p) => el(`t:${p}`, a[p] ?? ''))
            .join('')}</t:Entry>`;
        })
        .join('')}</t:PhysicalAddresses>`,
    );
  indexed('PhoneNumbers', 'contacts:PhoneNumbers', d.phones, PHONE_KEYS);
  for (const name of ['Birthday', 'BusinessHomePage', 'Department', 'JobTitle', 'Surname']) plain(name);
  return `<t:Contact>${parts.join('')}</t:Contact>`;
}
