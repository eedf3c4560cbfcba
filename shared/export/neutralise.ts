/**
 * CSV injection ("formula injection", OWASP: owasp.org/www-community/attacks/CSV_Injection):
 * a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a formula, and tab or
 * carriage return can hide such a start. The export therefore prefixes those cells with a
 * single quote, which Excel and LibreOffice show as text and do not run.
 *
 * Two kinds of value are left as they are, because they cannot hold a formula and the quote
 * would break them for Outlook's import and for sums in a spreadsheet:
 * - exactly an international phone number: `+`, a country code, then digits, optionally grouped
 *   by single spaces (`+4930123456`, `+49 30 1234567`; at most 15 digits, E.164);
 * - exactly a plain number: optional `-`, digits, optionally one decimal part (`-42`, `3,14`).
 * Everything else keeps its characters: the quote is the only change, and only at the start.
 */
const DANGEROUS_START = /^[=+\-@\t\r]/;
const INTERNATIONAL_PHONE = /^\+[1-9](?: ?\d){1,14}$/;
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?$/;

export function neutraliseCell(value: string): string {
  if (!DANGEROUS_START.test(value)) return value;
  if (INTERNATIONAL_PHONE.test(value) || PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}
