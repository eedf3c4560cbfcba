import { describe, expect, it } from 'vitest';
import {
  birthdayFromEws,
  fromEwsContact,
  toEwsContact,
  toEwsUpdates,
} from '../../../shared/adapters/ews/contact-mapping.js';
import { parseXml } from '../../../shared/adapters/ews/xml.js';
import { fields } from './contacts.contract.js';

/** The pure EWS ⇄ port mapping (no server): slots, clearing, zeros, birthdays. */
const T = 'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"';

describe('EWS contact mapping', () => {
  it('removing the middle e-mail rewrites the slots and deletes the last slot whole', () => {
    const current = {
      id: 'x',
      emailAddresses: ['a@x.de', 'b@x.de', 'c@x.de'].map((address) => ({ address, name: address })),
    };
    const updates = toEwsUpdates({ emailAddresses: ['a@x.de', 'c@x.de'] }, current);
    expect(updates).toEqual([
      expect.stringContaining(
        'FieldIndex="EmailAddress1"/><t:Contact><t:EmailAddresses><t:Entry Key="EmailAddress1">a@x.de',
      ),
      expect.stringContaining(
        'FieldIndex="EmailAddress2"/><t:Contact><t:EmailAddresses><t:Entry Key="EmailAddress2">c@x.de',
      ),
      '<t:DeleteItemField><t:IndexedFieldURI FieldURI="contacts:EmailAddress" FieldIndex="EmailAddress3"/></t:DeleteItemField>',
    ]);
  });

  it('writes only the given fields, and never the Body', () => {
    const updates = toEwsUpdates({ jobTitle: 'Maklerin', mobilePhone: null });
    expect(updates).toHaveLength(2);
    expect(updates.join('')).not.toMatch(/Body/);
    expect(updates[1]).toContain(
      'DeleteItemField><t:IndexedFieldURI FieldURI="contacts:PhoneNumber" FieldIndex="MobilePhone"',
    );
    expect(toEwsContact(fields({ businessPhones: ['0421 1'] }), 'l')).not.toMatch(/Body/);
  });

  it('reads values as strings (leading zeros kept) into the port’s contact', () => {
    const element = parseXml(
      `<t:Contact ${T}><t:ItemId Id="i1" ChangeKey="k1"/><t:GivenName>Anna</t:GivenName><t:PhysicalAddresses><t:Entry Key="Home"><t:PostalCode>01067</t:PostalCode></t:Entry></t:PhysicalAddresses><t:PhoneNumbers><t:Entry Key="HomePhone2">0421123</t:Entry><t:Entry Key="BusinessPhone2">0301</t:Entry></t:PhoneNumbers></t:Contact>`,
    );
    const { contact } = fromEwsContact(element);
    expect(contact).toMatchObject({
      id: 'i1',
      changeKey: 'k1',
      givenName: 'Anna',
      homePhones: ['0421123'],
      businessPhones: ['0301'],
    });
    expect(contact.homeAddress).toEqual({ postalCode: '01067' });
  });

  it('reads Outlook’s local-midnight birthdays as their date from UTC−11 to UTC+12', () => {
    expect(birthdayFromEws('1980-04-30T22:00:00Z')).toBe('1980-05-01'); // Berlin, summer
    expect(birthdayFromEws('1980-05-01T04:00:00Z')).toBe('1980-05-01'); // New York
    expect(birthdayFromEws('1980-05-01T00:00:00Z')).toBe('1980-05-01'); // ours
    expect(birthdayFromEws('1980-04-30T12:00:00Z')).toBe('1980-05-01'); // UTC+12
    expect(birthdayFromEws('not a date')).toBeNull();
  });
});
