import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CrmAddress, CrmContact } from '../../../shared/contact/crm-contact.js';
import {
  columnsFor,
  computeMaxCounts,
  contactToRow,
  extraCountsOf,
  NO_EXTRAS,
  OUTLOOK_COLUMNS,
} from '../../../shared/export/index.js';
import { contact, csvBytes, decodeRow, iterate, neutralisedContact, parseCsv } from './csv-support.js';

const FC_RUNS = Number(process.env.FC_RUNS ?? 200);
// A copy of ../shared/reference/outlook-csv/outlook-desktop-en.header.csv, so a clone alone runs it.
const HEADER_FILE = new URL('./fixtures/outlook-desktop-en.header.csv', import.meta.url);

const sortBy = <T>(items: T[]) => [...items].map((item) => JSON.stringify(item)).sort();

describe('columns', () => {
  it("OUTLOOK_COLUMNS is Outlook's header, in order", () => {
    const [header] = parse(readFileSync(HEADER_FILE)) as string[][];
    expect(OUTLOOK_COLUMNS).toEqual(header);
    expect(OUTLOOK_COLUMNS).toHaveLength(92);
  });

  it('appends unique extra columns after the Outlook ones', () => {
    const columns = columnsFor({ emails: 2, phones: 3, websites: 1, addresses: 2 });
    expect(columns.slice(0, 92)).toEqual([...OUTLOOK_COLUMNS]);
    expect(new Set(columns).size).toBe(columns.length);
    expect(columns).toContain('E-mail 5 Address');
    expect(columns).toContain('Other Phone 4 Type (CRM)');
    expect(columns).toContain('Additional Address 2 Country/Region');
    expect(columns).not.toContain('E-mail 6 Address');
  });

  it('refuses to drop data when the caller sized the columns too small', () => {
    const six = contact({
      emails: Array.from({ length: 4 }, (_, i) => ({ address: `a${i}@x.de`, type: null })),
    });
    expect(() => contactToRow(six, NO_EXTRAS)).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'exportColumnsTooFew' }),
    );
  });
});

describe('one rich contact', () => {
  const rich = contact({
    id: 'crm-42',
    salutation: 'Frau',
    title: 'Dr.',
    firstName: 'Zoë',
    middleName: 'Ångström',
    lastName: 'Müller-Łukasiewicz 李',
    company: 'Immobilien "Süd", GmbH',
    position: 'Geschäftsführerin',
    department: 'Vertrieb',
    birthday: '1980-05-01',
    emails: [
      { address: 'zoe@firma.de', type: 'business' },
      { address: 'zoe@privat.de', type: 'private' },
      { address: 'z.m@firma.de', type: null },
      { address: 'vierte@firma.de', type: 'business' },
      { address: 'fünfte@müller.at', type: null },
    ],
    phones: [
      { number: '+49 30 1234567', type: 'business' },
      { number: '030 7654321', type: 'business' },
      { number: '+49 30 999', type: 'business' },
      { number: '0171 1234567', type: 'mobile' },
    ],
    websites: [
      { url: 'https://firma.de', type: 'business' },
      { url: 'https://zoe.example', type: 'private' },
    ],
    addresses: [
      { type: 'business', street: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
      { type: 'business', street: 'Filiale 2', postalCode: '80331', city: 'München', country: 'DE' },
    ],
    notes: 'Rückruf, bitte "dringend"\r\nzweite Zeile\nnoch eine, mit Komma',
  });

  it('round-trips through csv-parse with nothing lost', async () => {
    const counts = extraCountsOf(rich);
    expect(counts).toEqual({ emails: 2, phones: 1, websites: 1, addresses: 1 });
    const bytes = await csvBytes([rich], counts);
    const { header, rows } = parseCsv(bytes);
    expect(header).toEqual(columnsFor(counts));
    const row = rows[0]!;
    expect(row).toMatchObject({
      Title: 'Dr.',
      Salutation: 'Frau',
      'First Name': 'Zoë',
      'Middle Name': 'Ångström',
      'Last Name': 'Müller-Łukasiewicz 李',
      Company: 'Immobilien "Süd", GmbH',
      'Job Title': 'Geschäftsführerin',
      Department: 'Vertrieb',
      Birthday: '1980-05-01',
      Notes: rich.notes,
      'CRM ID': 'crm-42',
      'E-mail Address': 'zoe@firma.de',
      'E-mail Type': 'SMTP',
      'E-mail 4 Address': 'vierte@firma.de',
      'E-mail 5 Address': 'fünfte@müller.at',
      'Business Phone': '+49 30 1234567',
      'Business Phone 2': '030 7654321',
      'Other Phone 2': '+49 30 999',
      'Other Phone 2 Type (CRM)': 'business',
      'Mobile Phone': '0171 1234567',
      'Additional Address 1 City': 'München',
    });
    const decoded = decodeRow(row);
    expect(decoded.emails).toEqual(rich.emails);
    expect(sortBy(decoded.phones)).toEqual(sortBy(rich.phones));
    expect(decoded.websites).toEqual(rich.websites);
    expect(sortBy(decoded.addresses)).toEqual(sortBy(rich.addresses));
  });

  it('is UTF-8 with a BOM, CRLF line ends and RFC 4180 quoting', async () => {
    const bytes = await csvBytes([rich], extraCountsOf(rich));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('"Immobilien ""Süd"", GmbH"');
    expect(text).toContain('"Rückruf, bitte ""dringend""\r\nzweite Zeile\nnoch eine, mit Komma"');
    const outside = text.replace(/"(?:[^"]|"")*"/g, '');
    expect(outside.split('\r\n')).toHaveLength(3); // header, row, and the empty rest after the last CRLF
    expect(outside).not.toMatch(/[^\r]\n/);
  });
});

/** Characters CSV must protect (separators, quotes, line breaks, edge spaces) mixed with any grapheme. */
const char = fc.oneof(
  fc.constantFrom(' ', ',', '"', '\n', '\r', '\r\n', ';', '\t', '\uFEFF', 'ä', '李', '=', '+'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const text = (minLength: number, maxLength: number) =>
  fc.array(char, { minLength, maxLength }).map((c) => c.join(''));
const cell = text(0, 30);
const filled = text(1, 20).filter((s) => s.trim().length > 0);
const nullable = fc.option(cell, { nil: null });
const arbitraryContact: fc.Arbitrary<CrmContact> = fc
  .record({
    id: filled,
    salutation: nullable,
    title: nullable,
    firstName: nullable,
    middleName: nullable,
    lastName: nullable,
    company: nullable,
    position: nullable,
    department: nullable,
    birthday: fc.option(fc.constantFrom('1980-05-01', '2000-02-29'), { nil: null }),
    notes: fc.option(text(0, 200), { nil: null }),
    emails: fc.array(fc.record({ address: filled, type: fc.constantFrom('business', 'private', null) }), {
      maxLength: 7,
    }),
    phones: fc.array(
      fc.record({ number: filled, type: fc.constantFrom('business', 'private', 'mobile', 'fax', null) }),
      { maxLength: 9 },
    ),
    websites: fc.array(fc.record({ url: filled, type: fc.constantFrom('business', 'private', null) }), {
      maxLength: 3,
    }),
    addresses: fc.array(
      fc.record({
        type: fc.constantFrom('business', 'private', 'other') as fc.Arbitrary<CrmAddress['type']>,
        street: filled,
        postalCode: fc.option(filled, { nil: null }),
        city: fc.option(filled, { nil: null }),
        country: fc.option(fc.constantFrom('DE', 'AT', 'CH'), { nil: null }),
      }),
      { maxLength: 5 },
    ),
  })
  .map((parts) => contact(parts));

describe('any contact', () => {
  it('keeps all of its values in the parsed row', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryContact, { minLength: 1, maxLength: 3 }), async (contacts) => {
        const counts = await computeMaxCounts(iterate(contacts));
        const { rows } = parseCsv(await csvBytes(contacts, counts));
        expect(rows).toHaveLength(contacts.length);
        contacts.forEach((exported, i) => {
          // What the file must hold: every value, formula-like ones behind a quote (neutralise.ts).
          const original = neutralisedContact(exported);
          const row = rows[i]!;
          const scalars = {
            Salutation: 'salutation',
            Title: 'title',
            'First Name': 'firstName',
            'Middle Name': 'middleName',
            'Last Name': 'lastName',
            Company: 'company',
            'Job Title': 'position',
            Department: 'department',
            Notes: 'notes',
            Birthday: 'birthday',
            'CRM ID': 'id',
          } as const;
          for (const [column, field] of Object.entries(scalars))
            expect(row[column]).toBe(original[field] ?? '');
          const decoded = decodeRow(row);
          expect(decoded.emails).toEqual(original.emails);
          expect(sortBy(decoded.phones)).toEqual(sortBy(original.phones));
          expect(decoded.websites).toEqual(original.websites);
          expect(sortBy(decoded.addresses)).toEqual(sortBy(original.addresses));
        });
      }),
      { numRuns: Math.max(20, Math.floor(FC_RUNS / 2)) },
    );
  });
});
