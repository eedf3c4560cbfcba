import type { ExchangeContact, ExchangeFields } from '../../contact/exchange-contact.js';
import { toGraphBody } from '../../contact/from-exchange.js';
import { birthdayFromGraph, birthdayToGraph } from './birthday.js';

/**
 * The Graph side of the window, both ways, for one mailbox: what we write keeps what the user
 * chose in Outlook, and what we read has its birthday as a calendar date (birthday.ts). Pure.
 *
 * - displayName: "later updates to other properties may cause an automatically generated value
 *   to overwrite the displayName value you have specified. To preserve a pre-existing value,
 *   always include it as displayName in an update operation" (MGDC contact-update.md). A name
 *   the user chose — one that is not what Exchange would generate from the name fields — is
 *   therefore sent along with every PATCH. One Exchange generated is left to Exchange, so it
 *   follows a name change from the CRM.
 * - e-mail display names: the window syncs addresses only; each address keeps the `name`
 *   Outlook had for it (matched without regard to case), a new one is named by its address.
 */
export interface WriteContext {
  /** IANA zone of the mailbox; needed only when the fields carry a birthday. */
  zone: string | null;
  /** The contact as last read, when the caller has it (an update planned against it). */
  current?: ExchangeContact | undefined;
}

const NAME_PARTS = ['givenName', 'middleName', 'surname'] as const;

export function graphWriteBody(
  fields: Partial<ExchangeFields>,
  context: WriteContext,
): Record<string, unknown> {
  const body = toGraphBody(fields);
  if (typeof fields.birthday === 'string') {
    if (context.zone === null) throw new TypeError('a birthday needs the mailbox time zone');
    body['birthday'] = birthdayToGraph(fields.birthday, context.zone);
  }
  const current = context.current;
  if (current === undefined) return body;
  if (fields.emailAddresses !== undefined) {
    const named = new Map(
      (current.emailAddresses ?? [])
        .filter((e) => e.address && e.name)
        .map((e) => [(e.address ?? '').toLowerCase(), e.name ?? ''] as const),
    );
    body['emailAddresses'] = fields.emailAddresses.map((address) => ({
      address,
      name: named.get(address.toLowerCase()) ?? address,
    }));
  }
  const chosen = current.displayName?.trim();
  if (chosen && chosen !== generatedDisplayName(current)) body['displayName'] = current.displayName;
  return body;
}

/** Exchange's own displayName for the name fields: the non-empty parts, space-separated. */
export function generatedDisplayName(contact: Partial<Record<(typeof NAME_PARTS)[number], unknown>>): string {
  return NAME_PARTS.map((key) => contact[key])
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.trim())
    .join(' ');
}

/** True when writing these fields needs the mailbox's time zone. */
export function writeNeedsZone(fields: Partial<ExchangeFields>): boolean {
  return typeof fields.birthday === 'string';
}

/** A contact as Graph sent it, its birthday as the date it is in `zone`. */
export function readContact(contact: ExchangeContact, zone: string | null): ExchangeContact {
  if (!contact.birthday || zone === null) return contact;
  return { ...contact, birthday: birthdayFromGraph(contact.birthday, zone) };
}

/** True when reading this contact needs the mailbox's time zone (a birthday that is an instant). */
export function readNeedsZone(contact: ExchangeContact): boolean {
  return typeof contact.birthday === 'string' && /T/.test(contact.birthday);
}
