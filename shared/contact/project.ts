import type { CrmContactInput } from './crm-contact.js';
import type { ExchangeFields } from './exchange-contact.js';
import { HeldValues } from './held.js';
import { cleanText } from './normalise.js';
import { placeAddresses, placeEmails, placeWebsite } from './project-entries.js';
import { placePhones } from './project-phones.js';
import type { KeptBack, Projection } from './types.js';

export type { KeptBack, KeptBackReason, Projection, SlotMap } from './types.js';

export interface ProjectionOptions {
  defaultCountry: string;
  /** windows Exchange holds or held for this contact (see HeldValues); none by default */
  held?: readonly ExchangeFields[];
}

/**
 * What Exchange may hold of a CRM contact: the "window" (DESIGN section 1, seeds/000).
 * Pure; the same CRM contact (and the same held windows) always gives the same projection.
 *
 * Slot rules (every CRM value that does not reach Exchange is listed in `keptBack`):
 * - Text: every string is trimmed; empty or whitespace-only becomes null. No length limit
 *   is applied (Exchange does not document one); very long values pass through unchanged.
 * - Names: title→title, firstName→givenName, middleName→middleName, lastName→surname,
 *   company→companyName, position→jobTitle, department→department, birthday→birthday
 *   (`YYYY-MM-DD`). salutation has no Exchange field → keptBack 'noExchangeField'.
 * - Notes: never projected ("das Notizfeld wird nicht berücksichtigt") → 'notesNeverSynced'.
 * - E-mails: the first 3 in CRM order fill the 3 slots, whatever their type; empty ones are
 *   skipped ('empty'), a repeat of an address already placed (case-insensitive) is
 *   'duplicate', the 4th and later are 'limitReached'.
 * - Phones: each number is canonicalised first (phone.ts: E.164, an extension kept as
 *   `+49301234567 x12`); one that cannot be is
 *   'notCanonical', an empty one 'empty'. fax → 'noExchangeField' (Graph v1.0 contacts have
 *   no fax field). Then, in CRM order:
 *     1. typed numbers take their slots: business → businessPhones (2), private →
 *        homePhones (2), mobile → mobilePhone (the first mobile; later ones 'limitReached');
 *     2. untyped (null) numbers fill the free business slots, then the free home slots.
 *        They never go to mobilePhone: a landline labelled "mobile" in Outlook would be wrong,
 *        and the untyped number stays in the CRM anyway ('limitReached').
 *   A number equal (as E.164) to one already in the same kind of slot is 'duplicate'; the
 *   same number may be a business and a home phone (Outlook allows it, and a round trip of
 *   such a contact must not lose one), and an untyped number already placed anywhere is
 *   'duplicate'.
 * - Website: the first non-empty website of any type → businessHomePage; the others
 *   'limitReached' (the help page: "nur eine einzige Webseite").
 * - Addresses: the first non-empty address of each type → business → businessAddress,
 *   private → homeAddress, other → otherAddress; later ones of a type 'limitReached'.
 *   country goes to countryOrRegion unchanged ('DE' stays 'DE').
 * - Held values (`options.held`): a number that is not canonical, or a repeat of an e-mail
 *   address, is never written by the sync; but where Exchange holds it (the user typed it in
 *   Outlook and it reached the CRM as typed), it keeps its slot as long as the CRM holds it
 *   too, so "what Exchange may hold" never removes what the user put there. Such a value
 *   takes the slot it is held in (an untyped number: business, then home) and counts
 *   against the limits like any other.
 */
export function projectToExchange(contact: CrmContactInput, options: ProjectionOptions): Projection {
  const held = new HeldValues(options.held);
  const emails = placeEmails(contact.emails, held);
  const phones = placePhones(contact.phones, options.defaultCountry, held);
  const website = placeWebsite(contact.websites);
  const addresses = placeAddresses(contact.addresses);
  const fields: ExchangeFields = {
    title: cleanText(contact.title),
    givenName: cleanText(contact.firstName),
    middleName: cleanText(contact.middleName),
    surname: cleanText(contact.lastName),
    companyName: cleanText(contact.company),
    jobTitle: cleanText(contact.position),
    department: cleanText(contact.department),
    birthday: cleanText(contact.birthday),
    emailAddresses: emails.addresses,
    businessPhones: phones.businessPhones,
    homePhones: phones.homePhones,
    mobilePhone: phones.mobilePhone,
    businessHomePage: website.url,
    ...addresses.values,
  };
  const keptBack: KeptBack[] = [
    ...singleKeptBack('salutation', contact.salutation, 'noExchangeField'),
    ...emails.keptBack,
    ...phones.keptBack,
    ...website.keptBack,
    ...addresses.keptBack,
    ...singleKeptBack('notes', contact.notes, 'notesNeverSynced'),
  ];
  return {
    fields,
    keptBack,
    slots: {
      emails: emails.slots,
      ...phones.slots,
      website: website.slot,
      ...addresses.slots,
    },
  };
}

function singleKeptBack(
  field: 'salutation' | 'notes',
  value: string | null,
  reason: KeptBack['reason'],
): KeptBack[] {
  return cleanText(value) === null ? [] : [{ field, index: null, value: value ?? '', reason }];
}
