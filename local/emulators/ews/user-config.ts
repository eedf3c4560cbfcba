import { child, el, esc, type XmlElement } from '../../../shared/adapters/ews/xml.js';
import { type EwsHttpResponse, envelope, failure, SchemaError, success } from './soap-response.js';
import type { Mailbox } from './store.js';

/**
 * GetUserConfiguration (getuserconfiguration-operation): a folder's user configuration object,
 * here the one the sync reads, `OWA.UserOptions` on the mailbox root with the user's time zone
 * in its Dictionary under `timezone` (a Windows name, "W. Europe Standard Time"; Outlook on the
 * web writes it when the user picks a zone, as Graph's GET /beta/.../userConfigurations/
 * OWA.UserOptions shows). A mailbox whose user never set one has no such object:
 * ErrorItemNotFound. The reference page's example writes the namespaces as https://…; Exchange
 * uses http:// (as every other page and the schema do): corrected here.
 */
const DEFAULT_ZONE = 'W. Europe Standard Time';
const zones = new WeakMap<Mailbox, string | null>();

/** The Outlook user chose a time zone (a Windows name), or `null`: never opened the options. */
export function setMailboxTimeZone(mailbox: Mailbox, windowsName: string | null): void {
  zones.set(mailbox, windowsName);
}

export function mailboxTimeZone(mailbox: Mailbox): string | null {
  return zones.has(mailbox) ? (zones.get(mailbox) ?? null) : DEFAULT_ZONE;
}

export function getUserConfiguration(mailbox: Mailbox, op: XmlElement): EwsHttpResponse {
  const name = child(op, 'UserConfigurationName');
  const folder = name?.children[0];
  if (!name?.attrs['Name'] || !folder)
    throw new SchemaError('UserConfigurationName with a folder is required.');
  const properties = child(op, 'UserConfigurationProperties')?.text ?? '';
  if (!/^(Id|Dictionary|XmlData|BinaryData|All)$/.test(properties))
    throw new SchemaError(
      `The value '${properties}' is invalid according to its datatype UserConfigurationPropertyType.`,
    );
  const zone = mailboxTimeZone(mailbox);
  const isOptions =
    name.attrs['Name'] === 'OWA.UserOptions' &&
    folder.name === 'DistinguishedFolderId' &&
    folder.attrs['Id'] === 'root';
  if (!isOptions || zone === null)
    return envelope('GetUserConfiguration', [
      failure(
        'GetUserConfiguration',
        'ErrorItemNotFound',
        'The specified object was not found in the store.',
      ),
    ]);
  const wantsDictionary = properties === 'Dictionary' || properties === 'All';
  const entry = (key: string, value: string) =>
    `<t:DictionaryEntry><t:DictionaryKey><t:Type>String</t:Type>${el('t:Value', key)}</t:DictionaryKey>` +
    `<t:DictionaryValue><t:Type>String</t:Type>${el('t:Value', value)}</t:DictionaryValue></t:DictionaryEntry>`;
  return envelope('GetUserConfiguration', [
    success(
      'GetUserConfiguration',
      `<m:UserConfiguration><t:UserConfigurationName Name="${esc(name.attrs['Name'])}"><t:DistinguishedFolderId Id="root"/></t:UserConfigurationName>` +
        (wantsDictionary
          ? `<t:Dictionary>${entry('timezone', zone)}${entry('timeformat', 'HH:mm')}</t:Dictionary>`
          : '') +
        '</m:UserConfiguration>',
    ),
  ]);
}
