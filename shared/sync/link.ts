import type { ExchangeFields } from '../contact/exchange-contact.js';

/**
 * A linked pair: one CRM contact and one Exchange contact of one account, with the state
 * they had after the last successful sync (the base of the next three-way merge).
 */
export interface ContactLink {
  accountId: string;
  /** Our own id for the pair; also the ownership marker stamped on contacts we create. */
  linkId: string;
  crmId: string;
  exchangeId: string;
  exchangeFolderId: string;
  /** Exchange `changeKey` after our last read or write. */
  changeKey: string | null;
  /** CRM version after our last read or write. */
  crmVersion: number;
  /** The mapped content both sides held after the last sync. */
  snapshot: ExchangeFields;
  /** contentHash(snapshot): equal hashes mean "nothing to write" (echo detection). */
  snapshotHash: string;
  /** Where the pair came from, for the log and for the sync-tag rules. */
  origin: 'exchange' | 'crm' | 'matched';
  syncedAt: string;
}

export type LogLevel = 'info' | 'warning' | 'conflict' | 'error';

/** One line of a contact's action log: why a field did or did not reach the other side. */
export interface LogEntry {
  /** `crm:<id>` or `exchange:<id>`: the contact the entry is about. */
  contactKey: string;
  at: string;
  level: LogLevel;
  action: string;
  detail: string;
}
