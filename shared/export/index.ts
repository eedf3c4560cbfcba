/** CSV export of CRM contacts with everything they hold (DESIGN section 8, contacts.csv). */
export {
  columnsFor,
  type ExtraCounts,
  extraCountsOf,
  FIXED_EXTRA_COLUMNS,
  maxCounts,
  NO_EXTRAS,
} from './columns.js';
export { contactToRow, rowBuilder } from './contact-row.js';
export { neutraliseCell } from './neutralise.js';
export { OUTLOOK_COLUMNS } from './outlook-columns.js';
export {
  type ContactsCsvOptions,
  computeMaxCounts,
  contactsCsvReadable,
  writeContactsCsv,
} from './write-csv.js';
