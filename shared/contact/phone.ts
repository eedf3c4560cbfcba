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
 * - Extensions written as `ext. 12`, `x12`, `extension 12`, `Durchwahl 12`, `#12`, `;12` or
 *   `, 12` are kept: the canonical form is the E.164 number, a space, `x` and the digits,
 *   `+49301234567 x12`. Why this form: E.164 itself has no extension, and Exchange stores a
 *   phone as plain text (Graph `businessPhones` is a String collection; MAPI's
 *   PidTagBusinessTelephoneNumber is PT_UNICODE) that Outlook shows as it is, so the
 *   extension must be text after the number. ` x` is the form Microsoft 365's directory
 *   shows for a number with an extension (the Azure AD admin portal: `+441632768402 x402`,
 *   documentation.avaya.com "Number Formats"), it is language-neutral, and the number part
 *   stays E.164, so it is still "kanonisch mit Landesvorwahl". RFC 3966's `;ext=12` would be
 *   shown raw; libphonenumber's ` ext. 12` is English. The form reads back as itself
 *   (idempotent), so a number we wrote is no change when Outlook serves it again.
 * - A trailing `-12` is NOT an extension: in Germany the digits after the dash are the
 *   direct-dial part of the number ("Durchwahl") and are dialled as part of it, so
 *   `030 1234567-12` becomes `+4930123456712`.
 * - Letters anywhere else (vanity numbers like `0800 FLOWERS`, "Büro: 030 …", `tel:` URIs)
 *   are rejected as `notANumber`: guessing digits from letters would put a wrong number into
 *   Exchange. The CRM keeps the text.
 */
export type PhoneRejection = 'empty' | 'notANumber' | 'invalid' | 'tooShort' | 'tooLong';
export type CanonicalPhone =
  | {
      ok: true;
      /** the number alone, E.164 */
      e164: string;
      /** the extension's digits, or null */
      extension: string | null;
      /** what Exchange gets: `e164`, or `e164 x<extension>` */
      canonical: string;
    }
  | { ok: false; reason: PhoneRejection };

const EXTENSION_SUFFIX =
  /(?:\s*(?:[,;#]|\b(?:ext|extn|extension|durchwahl|dw|app)\b\.?|x\.?))\s*(\d{1,7})\s*$/iu;
const LETTER = /\p{L}/u;

export function canonicalPhone(raw: string, defaultCountry: string): CanonicalPhone {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const extension = text.match(EXTENSION_SUFFIX)?.[1] ?? null;
  const withoutExtension = text.replace(EXTENSION_SUFFIX, '');
  if (LETTER.test(withoutExtension)) return { ok: false, reason: 'notANumber' };
  const country = isSupportedCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  try {
    const parsed = parsePhoneNumberWithError(withoutExtension, country);
    if (!parsed.isValid())
      return { ok: false, reason: lengthReason(validatePhoneNumberLength(withoutExtension, country)) };
    const e164 = parsed.number;
    return { ok: true, e164, extension, canonical: extension === null ? e164 : `${e164} x${extension}` };
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
