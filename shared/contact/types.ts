import type { CrmContactInput } from './crm-contact.js';
import type { ExchangeFields } from './exchange-contact.js';

/** Why a CRM value did not reach Exchange (DESIGN section 9.9: recorded per contact). */
export type KeptBackReason =
  /** the Exchange slots for it are full (4th e-mail, 3rd business phone, 2nd website, …) */
  | 'limitReached'
  /** a phone number that cannot be turned into valid E.164 */
  | 'notCanonical'
  /** Exchange has no field for it (fax, salutation) */
  | 'noExchangeField'
  /** the help page: the notes field is never synced */
  | 'notesNeverSynced'
  /** empty or whitespace-only; nothing to send */
  | 'empty'
  /** the same e-mail (case-insensitive) or the same E.164 number is already in a slot */
  | 'duplicate';

export interface KeptBack {
  field: 'emails' | 'phones' | 'websites' | 'addresses' | 'notes' | 'salutation';
  /** index in the CRM array; null for the single-valued fields notes and salutation */
  index: number | null;
  value: string;
  reason: KeptBackReason;
}

/** Which CRM array index fills which Exchange slot. */
export interface SlotMap {
  emails: number[];
  businessPhones: number[];
  homePhones: number[];
  mobilePhone: number | null;
  website: number | null;
  businessAddress: number | null;
  homeAddress: number | null;
  otherAddress: number | null;
}

export interface Projection {
  fields: ExchangeFields;
  keptBack: KeptBack[];
  slots: SlotMap;
}

export interface Conflict {
  /** an ExchangeFields name, with `[i]` (index in the base list) for list slots */
  field: string;
  base: unknown;
  crm: unknown;
  exchange: unknown;
  winner: 'crm' | 'exchange';
}

export interface MergeInput {
  /** the mirror's last synced window; null on a first match of two existing contacts */
  base: ExchangeFields | null;
  crm: CrmContactInput;
  exchange: ExchangeFields;
  crmChangedAt: Date;
  exchangeChangedAt: Date;
  defaultCountry: string;
}

export interface MergeResult {
  crm: CrmContactInput;
  /** always `projectToExchange(crm, { held: [exchange] }).fields`: what Exchange must hold */
  exchange: ExchangeFields;
  crmChanged: boolean;
  exchangeChanged: boolean;
  conflicts: Conflict[];
  keptBack: KeptBack[];
}
