import type { CrmContact } from '../contact/crm-contact.js';
import { SyncError } from '../errors.js';
import {
  columnsFor,
  type ExtraCounts,
  extraAddressPrefix,
  extraEmailColumns,
  extraPhoneColumns,
  extraWebsiteColumns,
} from './columns.js';
import { addressCells, placeContact } from './place-contact.js';

/** One CSV row per CRM contact, in the order of `columnsFor(counts)`; empty cells are ''. */

export type RowOf = (contact: CrmContact) => string[];

/** Builds rows for a fixed column set; the column index is computed once, not per contact. */
export function rowBuilder(counts: ExtraCounts): RowOf {
  const columns = columnsFor(counts);
  const index = new Map(columns.map((column, i) => [column, i]));
  return (contact) => {
    const { cells, overflow } = placeContact(contact);
    const fits =
      overflow.emails.length <= counts.emails &&
      overflow.phones.length <= counts.phones &&
      overflow.websites.length <= counts.websites &&
      overflow.addresses.length <= counts.addresses;
    // A narrower file would silently drop data; the caller must size the columns (computeMaxCounts).
    if (!fits) {
      throw new SyncError(
        'invalid',
        'exportColumnsTooFew',
        `contact ${contact.id} needs more extra columns than the export has (see computeMaxCounts)`,
      );
    }
    overflow.emails.forEach((email, i) => {
      const [address, type] = extraEmailColumns(i + 1);
      cells.set(address!, email.address);
      cells.set(type!, email.type ?? '');
    });
    overflow.phones.forEach((phone, i) => {
      const [number, type] = extraPhoneColumns(i + 1);
      cells.set(number!, phone.number);
      cells.set(type!, phone.type ?? '');
    });
    overflow.websites.forEach((website, i) => {
      const [url, type] = extraWebsiteColumns(i + 1);
      cells.set(url!, website.url);
      cells.set(type!, website.type ?? '');
    });
    overflow.addresses.forEach((address, i) => {
      const prefix = extraAddressPrefix(i + 1);
      cells.set(`${prefix} Type`, address.type);
      for (const [column, value] of addressCells(prefix, address)) cells.set(column, value);
    });
    const row = new Array<string>(columns.length).fill('');
    for (const [column, value] of cells) {
      const at = index.get(column);
      if (at === undefined) throw new Error(`export column "${column}" is not in the column set`);
      row[at] = value;
    }
    return row;
  };
}

export function contactToRow(contact: CrmContact, extraColumnCounts: ExtraCounts): string[] {
  return rowBuilder(extraColumnCounts)(contact);
}
