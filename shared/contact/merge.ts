import { isDeepStrictEqual } from 'node:util';
import type { CrmContactInput } from './crm-contact.js';
import { fieldsEqual } from './hash.js';
import {
  mergeAddresses,
  mergeEmails,
  mergeNames,
  mergePhones,
  mergeWebsites,
  type Sides,
} from './merge-channels.js';
import type { SlotContext } from './merge-slots.js';
import { EMPTY_FIELDS } from './normalise.js';
import { projectToExchange } from './project.js';
import type { MergeInput, MergeResult } from './types.js';

export type { Conflict, MergeInput, MergeResult } from './types.js';

/**
 * Field-level three-way merge of a linked pair inside the Exchange window (DESIGN 9.2, 9.5).
 *
 * `p = projectToExchange(crm)`; then for every field and every slot of the window:
 * - Exchange changed it (exchange ≠ base) and the CRM did not (p = base): the Exchange edit
 *   is applied to the CRM entry that fills that slot (slot map): its value changes in place
 *   and its type stays; a slot emptied in Exchange removes that entry; a value added in
 *   Exchange becomes a new entry right after the last entry in the window (before overflow).
 *   New e-mails and websites get type null ("ohne Auswahl"); new phones the slot's type
 *   (business / private / mobile), new addresses the slot's type.
 * - Only the CRM changed it: the CRM wins; nothing to apply.
 * - Both changed it to the same value: nothing to do, no conflict.
 * - Both changed it to different values: a conflict, recorded; the side with the newer
 *   change time wins (a tie goes to the CRM).
 * - base null (first match of two existing contacts): merged against an empty base, so a
 *   non-empty side wins over an empty one, two different values are a conflict, and the
 *   e-mail and phone lists are united (what does not fit stays in the CRM as overflow).
 * List slots pair up by value first (a value that only moved is not an edit); an unpaired
 * old and new value at the same position are an edit of that slot. E-mails compare
 * case-insensitively, but the CRM gets the address as the user wrote it.
 *
 * Never touched: notes, salutation, 4th+ e-mails, 3rd+ phones, fax, unparseable numbers,
 * 2nd+ website, extra addresses, the types the user chose, syncAccounts.
 * The result's `exchange` is always the projection of the result's CRM contact, holding what
 * Exchange holds of it (`held: [exchange]`, project.ts).
 */
export function merge(input: MergeInput): MergeResult {
  const { crm, exchange, defaultCountry } = input;
  const context: SlotContext = {
    winner: input.exchangeChangedAt.getTime() > input.crmChangedAt.getTime() ? 'exchange' : 'crm',
    conflicts: [],
  };
  const base = input.base ?? EMPTY_FIELDS;
  const sides: Sides = {
    base,
    // The CRM's side in the base's terms: a value both hold that the sync could not write
    // itself (held values, project.ts) is unchanged on the CRM side, not removed.
    projection: projectToExchange(crm, { defaultCountry, held: [base, exchange] }),
    exchange,
    crm,
    context,
  };
  const next: CrmContactInput = {
    ...crm,
    ...mergeNames(sides),
    emails: mergeEmails(sides),
    phones: mergePhones(sides),
    websites: mergeWebsites(sides),
    addresses: mergeAddresses(sides),
  };
  // What Exchange must hold: the merged CRM contact, keeping what Exchange holds and the CRM
  // still holds, but never adding a value the sync may not write.
  const projected = projectToExchange(next, { defaultCountry, held: [exchange] });
  return {
    crm: next,
    exchange: projected.fields,
    // structuredClone: compare content only, not prototypes (inputs may be null-prototype objects)
    crmChanged: !isDeepStrictEqual(structuredClone(next), structuredClone(crm)),
    exchangeChanged: !fieldsEqual(projected.fields, exchange),
    conflicts: context.conflicts,
    keptBack: projected.keptBack,
  };
}
