import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { canonicalPhone } from '../../../shared/contact/phone.js';
import { DEFAULT_COUNTRY, FC_RUNS, FC_TIMEOUT, phoneNumber } from './arbitraries.js';

describe('canonicalPhone', () => {
  it.each([
    ['030 1234567', '+49301234567'],
    ['+49 (0)30 1234567', '+49301234567'],
    ['0049 30 1234567', '+49301234567'],
    ['0049 (0)30 1234567', '+49301234567'],
    ['(030) 123 45 67', '+49301234567'],
    ['030/1234567', '+49301234567'],
    ['0171 1234567', '+491711234567'],
    ['+43 1 234567', '+431234567'],
    ['+41 44 123 45 67', '+41441234567'],
    ['+44 20 7946 0958', '+442079460958'],
    ['001 202 555 0123', '+12025550123'],
    ['  +49301234567  ', '+49301234567'],
    // a dash suffix is the German direct-dial part of the number, dialled with it
    ['030 1234567-12', '+4930123456712'],
  ])('%j → %s', (raw, e164) => {
    expect(canonicalPhone(raw, 'DE')).toEqual({ ok: true, e164, extension: null, canonical: e164 });
  });

  it.each([
    ['030 1234567 ext. 12', '12'],
    ['030 1234567 x12', '12'],
    ['030 1234567 X 12', '12'],
    ['+49 30 1234567 Durchwahl 12', '12'],
    ['030 1234567 extension 0815', '0815'],
    ['030 1234567 #12', '12'],
    ['030 1234567, 12', '12'],
    ['030 1234567;12', '12'],
    ['+49301234567 x12', '12'],
    ['030 1234567 extn 12', '12'],
    ['030 1234567 Dw. 12', '12'],
    ['030 1234567 App. 12', '12'],
    ['030 1234567 x. 12', '12'],
    ['030 1234567 ext.12', '12'],
    ['030 1234567 EXT 1234567', '1234567'],
  ])('%j keeps its extension %s: E.164, a space, x, the digits', (raw, extension) => {
    expect(canonicalPhone(raw, 'DE')).toEqual({
      ok: true,
      e164: '+49301234567',
      extension,
      canonical: `+49301234567 x${extension}`,
    });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['0800 FLOWERS', 'notANumber'],
    ['+1 800 FLOWERS', 'notANumber'],
    ['Büro: 030 1234567', 'notANumber'],
    ['tel:+49301234567', 'notANumber'],
    ['abc', 'notANumber'],
    ['12', 'tooShort'],
    ['030 12345678901234567', 'tooLong'],
    ['+49 1', 'tooShort'],
    // 8 digits are no extension: the letters stay, so it is not a number
    ['030 1234567 ext. 12345678', 'notANumber'],
    ['030 1234567 next 12', 'notANumber'],
  ] as const)('%j is rejected as %s', (raw, reason) => {
    expect(canonicalPhone(raw, 'DE')).toEqual({ ok: false, reason });
  });

  it('reads national numbers with the default country', () => {
    expect(canonicalPhone('01 234567', 'AT')).toMatchObject({ ok: true, e164: '+431234567' });
    expect(canonicalPhone('044 123 45 67', 'CH')).toMatchObject({ ok: true, e164: '+41441234567' });
  });

  it('still reads international numbers when the default country is unknown', () => {
    expect(canonicalPhone('+49 30 1234567', 'XX')).toMatchObject({ ok: true, e164: '+49301234567' });
    expect(canonicalPhone('030 1234567', 'XX').ok).toBe(false);
  });

  describe('example numbers of libphonenumber (fixtures/, a copy of the reference CSV)', () => {
    const csv = readFileSync(new URL('./fixtures/libphonenumber-exampleNumbers.csv', import.meta.url));
    const rows: Record<string, string>[] = parse(csv, { columns: true });
    it('has the reference rows', () => expect(rows.length).toBeGreaterThan(40));
    it.each(rows.map((r) => [r.region, r.type, r.exampleNumber, r.e164_derived, r.nationalPrefix]))(
      '%s %s %s → %s',
      (region, _type, national, e164, prefix) => {
        const plain = { ok: true, e164, extension: null, canonical: e164 };
        expect(canonicalPhone(`${e164}`, 'DE')).toEqual(plain);
        expect(canonicalPhone(`${prefix}${national}`, `${region}`)).toEqual(plain);
      },
    );
  });

  it(
    'never throws and only ever returns valid E.164',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(phoneNumber, fc.string(), fc.string({ unit: 'binary', maxLength: 5000 })),
          (raw) => {
            const result = canonicalPhone(raw, DEFAULT_COUNTRY);
            if (result.ok) expect(isValidPhoneNumber(result.e164)).toBe(true);
            if (result.ok) expect(result.e164).toMatch(/^\+[1-9]\d{6,14}$/);
            if (result.ok) expect(result.canonical).toMatch(/^\+[1-9]\d{6,14}( x\d{1,7})?$/);
          },
        ),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'is idempotent: the canonical form canonicalises to itself, in any default country',
    () => {
      const extension = fc.option(fc.stringMatching(/^\d{1,7}$/), { nil: '' });
      const withExtension = fc
        .tuple(phoneNumber, extension, fc.constantFrom(' ext. ', ' x', ', ', ' Durchwahl '))
        .map(([number, ext, separator]) => (ext === '' ? number : `${number}${separator}${ext}`));
      fc.assert(
        fc.property(withExtension, (raw) => {
          const first = canonicalPhone(raw, DEFAULT_COUNTRY);
          if (first.ok) expect(canonicalPhone(first.canonical, 'US')).toEqual(first);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );
});
