import { isSyncError } from '../../errors.js';
import { DEFAULT_TIME_ZONE, ianaZone } from '../graph/mailbox-time-zone.js';
import type { EwsTransport } from './ews-transport.js';
import { callEws, orThrow } from './soap-client.js';
import { child, children, type XmlElement } from './xml.js';

/**
 * The mailbox's time zone over EWS, for birthdays (the port's contract: dates of the
 * mailbox's zone). EWS has no mailbox-settings call; the user's zone is what Outlook on the
 * web keeps in the `OWA.UserOptions` user configuration object on the mailbox root, key
 * `timezone`, a Windows name (GetUserConfiguration operation, getuserconfiguration-operation;
 * the same object Graph serves as /beta/.../mailFolders/root/userConfigurations/OWA.UserOptions).
 * Windows names map to IANA as for Graph (mailbox-time-zone.ts, CLDR's windowsZones). No such
 * object (the user never set a zone: ErrorItemNotFound), no `timezone` in it, or a refusal:
 * Europe/Berlin, the zone of FLOWFACT's users, as for Graph. A temporary failure is thrown.
 */
const REQUEST =
  '<m:GetUserConfiguration><m:UserConfigurationName Name="OWA.UserOptions"><t:DistinguishedFolderId Id="root"/></m:UserConfigurationName>' +
  '<m:UserConfigurationProperties>Dictionary</m:UserConfigurationProperties></m:GetUserConfiguration>';

export async function readMailboxTimeZone(transport: EwsTransport): Promise<string> {
  try {
    const [message] = await callEws(transport, 'GetUserConfiguration', REQUEST);
    return ianaZone(timeZoneOf(orThrow('GetUserConfiguration', message)));
  } catch (error) {
    if (isSyncError(error, 'notFound') || isSyncError(error, 'auth') || isSyncError(error, 'invalid'))
      return DEFAULT_TIME_ZONE;
    throw error;
  }
}

/** The `timezone` entry of a GetUserConfiguration answer's Dictionary (pure). */
export function timeZoneOf(message: XmlElement): string | null {
  const dictionary = child(child(message, 'UserConfiguration'), 'Dictionary');
  for (const entry of children(dictionary, 'DictionaryEntry')) {
    const key = child(child(entry, 'DictionaryKey'), 'Value')?.text.trim().toLowerCase();
    if (key === 'timezone') return child(child(entry, 'DictionaryValue'), 'Value')?.text.trim() || null;
  }
  return null;
}
