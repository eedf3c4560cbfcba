import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { CrmAddress, CrmContact, CrmPhone } from '../../../shared/contact/crm-contact.js';
import type { ExtraCounts } from '../../../shared/export/columns.js';
import { neutraliseCell } from '../../../shared/export/neutralise.js';
import { writeContactsCsv } from '../../../shared/export/write-csv.js';

/** Test helpers: write contacts to a buffer, parse it back, and read a row back into contact parts. */

export function contact(overrides: Partial<CrmContact> = {}): CrmContact {
  return {
    id: 'c-1',
    version: 1,
    salutation: null,
    title: null,
    firstName: null,
    middleName: null,
    lastName: null,
    company: null,
    position: null,
    department: null,
    birthday: null,
    emails: [],
    phones: [],
    websites: [],
    addresses: [],
    notes: null,
    syncAccounts: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

export async function csvBytes(contacts: CrmContact[], maxCounts: ExtraCounts): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  await writeContactsCsv(iterate(contacts), sink, { maxCounts });
  return Buffer.concat(chunks);
}

export function parseCsv(bytes: Buffer): { header: string[]; rows: Record<string, string>[] } {
  const records = parse(bytes, { bom: true, relax_column_count: false }) as string[][];
  const [header = [], ...rest] = records;
  return {
    header,
    rows: rest.map((row) => Object.fromEntries(header.map((column, i) => [column, row[i] ?? '']))),
  };
}

const PHONE_COLUMNS: [string, CrmPhone['type']][] = [
  ['Business Phone', 'business'],
  ['Business Phone 2', 'business'],
  ['Home Phone', 'private'],
  ['Home Phone 2', 'private'],
  ['Mobile Phone', 'mobile'],
  ['Business Fax', 'fax'],
  ['Other Fax', 'fax'],
  ['Other Phone', null],
];
const ADDRESS_PREFIXES: [string, CrmAddress['type']][] = [
  ['Business', 'business'],
  ['Home', 'private'],
  ['Other', 'other'],
];
const orNull = (value: string | undefined) => (value ? value : null);
const typeOf = <T extends string>(value: string | undefined) => (value ? (value as T) : null);

/** Reads a parsed row back into the contact's lists (phones and addresses lose their order). */
export function decodeRow(row: Record<string, string>) {
  const emails: { address: string; type: string | null }[] = [];
  ['', ' 2', ' 3'].forEach((n) => {
    if (row[`E-mail${n} Type`] === 'SMTP')
      emails.push({ address: row[`E-mail${n} Address`] ?? '', type: typeOf(row[`E-mail${n} Type (CRM)`]) });
  });
  for (let k = 4; `E-mail ${k} Address` in row; k++) {
    if (row[`E-mail ${k} Address`])
      emails.push({ address: row[`E-mail ${k} Address`]!, type: typeOf(row[`E-mail ${k} Type (CRM)`]) });
  }
  const phones: CrmPhone[] = PHONE_COLUMNS.filter(([column]) => row[column]).map(([column, type]) => ({
    number: row[column]!,
    type,
  }));
  for (let k = 2; `Other Phone ${k}` in row; k++) {
    if (row[`Other Phone ${k}`])
      phones.push({ number: row[`Other Phone ${k}`]!, type: typeOf(row[`Other Phone ${k} Type (CRM)`]) });
  }
  const websites = row['Web Page']
    ? [{ url: row['Web Page'], type: typeOf(row['Web Page Type (CRM)']) }]
    : [];
  for (let k = 2; `Web Page ${k}` in row; k++) {
    if (row[`Web Page ${k}`])
      websites.push({ url: row[`Web Page ${k}`]!, type: typeOf(row[`Web Page ${k} Type (CRM)`]) });
  }
  const address = (prefix: string, type: CrmAddress['type']): CrmAddress => ({
    type,
    street: orNull(row[`${prefix} Street`]),
    postalCode: orNull(row[`${prefix} Postal Code`]),
    city: orNull(row[`${prefix} City`]),
    country: orNull(row[`${prefix} Country/Region`]),
  });
  const addresses = ADDRESS_PREFIXES.filter(([prefix]) => row[`${prefix} Street`]).map(([p, t]) =>
    address(p, t),
  );
  for (let k = 1; `Additional Address ${k} Type` in row; k++) {
    const type = row[`Additional Address ${k} Type`];
    if (type) addresses.push(address(`Additional Address ${k}`, type as CrmAddress['type']));
  }
  return { emails, phones, websites, addresses };
}

/** The contact with every string as the export writes it (formula-like values behind a quote). */
export function neutralisedContact(original: CrmContact): CrmContact {
  const map = (value: unknown): unknown => {
    if (typeof value === 'string') return neutraliseCell(value);
    if (Array.isArray(value)) return value.map(map);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]));
    return value;
  };
  return map(original) as CrmContact;
}
