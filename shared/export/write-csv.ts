import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { CrmContact } from '../contact/crm-contact.js';
import { columnsFor, type ExtraCounts, extraCountsOf, maxCounts, NO_EXTRAS } from './columns.js';
import { rowBuilder } from './contact-row.js';
import { neutraliseCell } from './neutralise.js';

/**
 * The streaming CSV export. Rows are pulled from the contacts one at a time with back-pressure,
 * so memory stays flat however many contacts an account has.
 *
 * The header comes first, so the column set must be known before the first contact: the caller
 * passes `maxCounts`. Two ways to get it, a trade-off between reads and file width:
 * - two passes: `computeMaxCounts` over the contacts, then the export over a fresh iterable —
 *   every contact is read twice, the file has exactly the columns it needs;
 * - one pass with fixed generous maxima — one read, but a contact beyond them fails the export
 *   (exportColumnsTooFew) rather than losing data, and most files carry empty columns.
 *
 * Format: RFC 4180 (fields with a comma, quote or line break are quoted, quotes doubled), CRLF
 * line ends, UTF-8 with a byte-order mark so Excel detects the encoding of umlauts.
 * Every data cell goes through `neutraliseCell` (neutralise.ts): a cell a spreadsheet would run
 * as a formula gets a leading single quote; phone numbers and plain numbers stay as they are.
 */

/** csv-stringify settings; cells with edge whitespace are quoted too, so no reader trims them. */
const CSV_FORMAT = { bom: true, record_delimiter: 'windows', quoted_match: /^\s|\s$/ } as const;

export interface ContactsCsvOptions {
  maxCounts: ExtraCounts;
}

async function* csvRecords(
  contacts: AsyncIterable<CrmContact>,
  counts: ExtraCounts,
): AsyncGenerator<string[]> {
  yield columnsFor(counts);
  const rowOf = rowBuilder(counts);
  for await (const contact of contacts) yield rowOf(contact).map(neutraliseCell);
}

/** The CSV as a readable byte stream (e.g. an HTTP response body). Errors of the source end it. */
export function contactsCsvReadable(
  contacts: AsyncIterable<CrmContact>,
  options: ContactsCsvOptions,
): Readable {
  const stringifier = stringify({ ...CSV_FORMAT });
  pipeline(Readable.from(csvRecords(contacts, options.maxCounts)), stringifier).catch(() => {
    // pipeline has already destroyed the stringifier with the error; its reader sees it.
  });
  return stringifier;
}

/** Writes the CSV into `out` and ends it; resolves when everything is flushed. */
export async function writeContactsCsv(
  contacts: AsyncIterable<CrmContact>,
  out: NodeJS.WritableStream | Writable,
  options: ContactsCsvOptions,
): Promise<void> {
  await pipeline(contactsCsvReadable(contacts, options), out);
}

/** First pass of the two-pass export: the extra columns the contacts need. */
export async function computeMaxCounts(contacts: AsyncIterable<CrmContact>): Promise<ExtraCounts> {
  let counts: ExtraCounts = NO_EXTRAS;
  for await (const contact of contacts) counts = maxCounts(counts, extraCountsOf(contact));
  return counts;
}
