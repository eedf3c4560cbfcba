import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseCell } from '../../../shared/export/index.js';
import { contact, csvBytes, parseCsv } from './csv-support.js';

/**
 * CSV injection (OWASP, "CSV Injection": cells beginning with = + - @ tab or carriage return are
 * prefixed with a single quote, so a spreadsheet shows them as text instead of running them),
 * except values that are exactly an international phone number or a plain number: those stay
 * as they are, so Outlook's import and a spreadsheet still read them as numbers.
 */
describe('formula-injection cells in the CSV export', () => {
  it('prefixes a quote to every cell that a spreadsheet would run as a formula', () => {
    for (const value of [
      '=HYPERLINK("https://evil.example","Klick")',
      '+SUM(1,2)',
      "-2+3+cmd|' /C calc'!A0",
      '@SUM(A1:A2)',
      '\t=1+1',
      '\r=1+1',
      '+49 (30) 123',
      '-',
      '=',
    ])
      expect(neutraliseCell(value), JSON.stringify(value)).toBe(`'${value}`);
  });

  it('keeps international phone numbers, plain numbers and harmless text as they are', () => {
    for (const value of [
      '+4930123456',
      '+49 30 1234567',
      '-42',
      '3,14',
      '-0.5',
      '42',
      'Müller',
      "O'Brien",
      ' =x',
      '',
    ])
      expect(neutraliseCell(value), JSON.stringify(value)).toBe(value);
  });

  it('no neutralised cell starts with a dangerous character (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const cell = neutraliseCell(value);
        const exempt = /^\+\d[\d ]*\d$/.test(value) || /^-?\d+(?:[.,]\d+)?$/.test(value);
        if (!exempt) expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
        expect(cell === value || cell === `'${value}`).toBe(true);
      }),
    );
  });

  it('applies to every field of the exported file, notes and names included', async () => {
    const bytes = await csvBytes(
      [
        contact({
          firstName: '=cmd',
          lastName: '@evil',
          company: '+Firma',
          notes: '=HYPERLINK("https://evil.example")',
          phones: [{ number: '+4930123456', type: 'business' }],
          emails: [{ address: 'a@b.de', type: null }],
        }),
      ],
      { emails: 0, phones: 0, websites: 0, addresses: 0 },
    );
    const [row] = parseCsv(bytes).rows;
    expect(row?.['First Name']).toBe("'=cmd");
    expect(row?.['Last Name']).toBe("'@evil");
    expect(row?.Company).toBe("'+Firma");
    expect(row?.Notes).toBe('\'=HYPERLINK("https://evil.example")');
    expect(row?.['Business Phone']).toBe('+4930123456');
  });
});
