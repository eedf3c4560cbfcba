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
  /**
   * When a user made the newest edit the CRM contact at `crmVersion` holds, where that is not
   * its `updatedAt`: when the sync wrote that version (an Outlook edit merged into the CRM,
   * a contact created from Outlook), `updatedAt` is the time of our write, and this is the
   * Outlook edit's time (or the CRM's own earlier edit, if newer). "Newer wins" compares
   * users' edits, so every account's planner reads it for that version (edit-times.ts).
   * Absent on links written before it existed: then `updatedAt` stands.
   */
  crmEditedAt?: string;
  /**
   * THE SNAPSHOT: the window this pair agreed on at the last sync, in Exchange's terms. It is
   * what the Exchange copy held, read through `exchangeFieldsOf`, right after the sync's last
   * read or write of the pair, at a moment when the CRM contact (at `crmVersion`) agreed with
   * it: `projectToExchange(crm, { held: [snapshot] }).fields` equals it. "Held" is what makes
   * one meaning possible: Exchange may hold a value the sync would never write (a number the
   * CRM cannot canonicalise, an e-mail address twice), and the CRM holds it as typed; such a
   * value is in the snapshot while both hold it.
   *
   * Every use in the planner follows from this, and nothing else is meant by it:
   * - Outlook changed the pair since ⇔ `contentHash(exchangeFieldsOf(copy)) ≠ snapshotHash`
   *   (so our own write echoed back is no change);
   * - the CRM changed the pair since ⇔ `contentHash(projectToExchange(crm, { held:
   *   [snapshot] }).fields) ≠ snapshotHash` (what the CRM holds outside the window, notes
   *   say, is no change of the pair);
   * - the merge base is the snapshot: both sides are compared with it in the same terms.
   * So every path that writes a link writes what Exchange holds after it: after a create in
   * the CRM the Outlook values, after a create in Exchange or an update what was written.
   * A link that was claimed but never synced holds EMPTY_FIELDS: nothing agreed yet, which is
   * the base of a first match.
   */
  snapshot: ExchangeFields;
  /** contentHash(snapshot), the echo test's one comparison. */
  snapshotHash: string;
  /** Where the pair came from, for the log and for the sync-tag rules. */
  origin: 'exchange' | 'crm' | 'matched';
  syncedAt: string;
  /**
   * Set just before the sync deletes the Exchange copy itself (CRM delete, tag removed), so a
   * crash after that delete is not read as an Outlook delete (which would unlink or delete the
   * CRM contact): a removal of a link so marked only drops the link. Cleared by any other write.
   */
  deleting?: boolean;
  /**
   * Set just before the sync writes the CRM contact in an update (an Outlook edit merged
   * into it): the snapshot the pair has once that update is done. A crash after the CRM
   * write and before the mirror write leaves the CRM at a version this link does not know,
   * holding the sync's own write, not a user's edit: a CRM contact newer than `crmVersion`
   * whose window, seen against this, is this, did not change the pair (so an Outlook delete
   * before the retry stays a delete). Cleared by the update's mirror write.
   */
  pendingSnapshot?: ExchangeFields;
  /**
   * Set just before the sync writes the Exchange copy in an update (a CRM edit pushed to
   * Outlook): the snapshot the pair has once that update is done. A crash after the Exchange
   * write and before the mirror write leaves the copy holding the sync's own write at a
   * changeKey this link does not know. A copy whose window is exactly this holds no Outlook
   * edit since the last sync, and this is the merge base, so what a CRM user changed meanwhile
   * reads as a CRM edit (soak seed 2030296951: an address the CRM user removed came back as
   * an Outlook addition). The CRM write, which comes first, landed too. Only set when the copy
   * did not hold it yet, so a failed Exchange write never makes the copy match it. Cleared by
   * the update's mirror write.
   */
  pendingExchange?: ExchangeFields;
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
