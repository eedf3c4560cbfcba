import { createHash } from 'node:crypto';
import { EXCHANGE_FIELD_NAMES, type ExchangeFields } from './exchange-contact.js';
import { cleanAddress, cleanText, emailKey } from './normalise.js';

/**
 * Equality, diff and hash of the window (DESIGN section 9.3: the sync recognises its own
 * writes by a hash of the mapped content). All three use one canonical form, so two windows
 * are equal exactly when their hashes are: strings trimmed and empty → null, e-mail
 * addresses compared case-insensitively (Exchange treats them so), addresses by their four
 * parts. Only the names in EXCHANGE_FIELD_NAMES count; anything else on the object is ignored.
 */

type FieldName = (typeof EXCHANGE_FIELD_NAMES)[number];

function canonicalValue(name: FieldName, fields: Partial<ExchangeFields>): unknown {
  switch (name) {
    case 'emailAddresses':
      return (fields.emailAddresses ?? []).map(emailKey);
    case 'businessPhones':
    case 'homePhones':
      return (fields[name] ?? []).map((phone) => phone.trim());
    case 'businessAddress':
    case 'homeAddress':
    case 'otherAddress':
      return cleanAddress(fields[name]);
    default:
      return cleanText(fields[name]);
  }
}

/** JSON with object keys sorted, so the same content always gives the same text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function fieldEqual(name: FieldName, a: Partial<ExchangeFields>, b: Partial<ExchangeFields>): boolean {
  return stableJson(canonicalValue(name, a)) === stableJson(canonicalValue(name, b));
}

export function contentHash(fields: ExchangeFields): string {
  const canonical = Object.fromEntries(
    EXCHANGE_FIELD_NAMES.map((name) => [name, canonicalValue(name, fields)]),
  );
  return createHash('sha256').update(stableJson(canonical)).digest('hex');
}

export function fieldsEqual(a: ExchangeFields, b: ExchangeFields): boolean {
  return EXCHANGE_FIELD_NAMES.every((name) => fieldEqual(name, a, b));
}

/** Only the fields that differ, with their `after` values: the body of a PATCH. */
export function diffFields(before: ExchangeFields, after: ExchangeFields): Partial<ExchangeFields> {
  const changed: Partial<Record<FieldName, unknown>> = {};
  for (const name of EXCHANGE_FIELD_NAMES) {
    if (!fieldEqual(name, before, after)) changed[name] = after[name];
  }
  return changed as Partial<ExchangeFields>;
}
