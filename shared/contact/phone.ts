import type { CountryCode } from 'libphonenumber-js/max';
import {
  isSupportedCountry,
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';

/**
 * Phone numbers reach Exchange only in canonical international form (E.164, "+49…"),
 * as the help page requires ("nur im kanonischen Format mit Landesvorwahl").
 *
 * Decisions:
 * - Full metadata (`libphonenumber-js/max`): a number must be *valid* for its region, not
 *   merely of a possible length, so Exchange never receives a number that cannot be dialled.
 * - `0049 30 …`, `+49 (0)30 …`, `(030) 123 45 67`, `030/1234567` all parse (national numbers
 *   use `defaultCountry`).
 * - Extensions written as `ext. 12`, `x12`, `extension 12`, `Durchwahl 12`, `#12` or `, 12`
 *   are dropped: E.164 has no extension, so Exchange gets the main number (the CRM keeps the
 *   original text). A trailing `-12` is NOT an extension: in Germany the digits after the
 *   dash are the direct-dial part of the number ("Durchwahl") and are dialled as part of it,
 *   so `030 1234567-12` becomes `+4930123456712`.
 * - Letters anywhere else (vanity numbers like `0800 FLOWERS`, "Büro: 030 …", `tel:` URIs)
 *   are rejected as `notANumber`: guessing digits from letters would put a wrong number into
 *   Exchange. The CRM keeps the text.
 */
export type PhoneRejection = 'empty' | 'notANumber' | 'invalid' | 'tooShort' | 'tooLong';
export type CanonicalPhone = { ok: true; e164: string } | { ok: false; reason: PhoneRejection };

const EXTENSION_SUFFIX =
  /(?:\s*(?:[,;#]|\b(?:ext|extn|extension|durchwahl|dw|app)\b\.?|x\.?))\s*\d{1,7}\s*$/iu;
const LETTER = /\p{L}/u;

export function canonicalPhone(raw: string, defaultCountry: string): CanonicalPhone {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const withoutExtension = text.replace(EXTENSION_SUFFIX, '');
  if (LETTER.test(withoutExtension)) return { ok: false, reason: 'notANumber' };
  const country = isSupportedCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  try {
    const parsed = parsePhoneNumberWithError(withoutExtension, country);
    if (parsed.isValid()) return { ok: true, e164: parsed.number };
    return { ok: false, reason: lengthReason(validatePhoneNumberLength(withoutExtension, country)) };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

function lengthReason(result: string | undefined): PhoneRejection {
  if (result === 'TOO_SHORT') return 'tooShort';
  if (result === 'TOO_LONG') return 'tooLong';
  return 'invalid';
}

function reasonOf(error: unknown): PhoneRejection {
  if (!(error instanceof ParseError)) return 'invalid';
  if (error.message === 'NOT_A_NUMBER') return 'notANumber';
  return lengthReason(error.message);
}
