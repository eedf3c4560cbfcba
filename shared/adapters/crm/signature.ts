import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC signature of CRM webhook events (DESIGN section 7):
 * `x-crm-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, with
 * `x-crm-timestamp: <unix seconds>`. The timestamp is signed too, so an old, captured
 * delivery cannot be replayed with a fresh timestamp; the tolerance bounds the replay window.
 * During a secret rotation two secrets are valid (current, previous): every one is compared, in
 * constant time each, so the answer does not tell which matched.
 */

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

function hmacHex(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  // Two updates hash exactly the bytes of "<timestamp>.<raw body>" without copying the body.
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The `x-crm-signature` header value for one delivery. */
export function signCrmEvent(
  secret: string,
  timestamp: number | string,
  rawBody: string | Uint8Array,
): string {
  return `sha256=${hmacHex(secret, String(timestamp), rawBody)}`;
}

/** Checks one delivery's headers against its raw body; pure (the clock is passed in). */
export function verifyCrmSignature(input: {
  /** The current secret, or the current and the previous one while a rotation is under way. */
  secret: string | readonly string[];
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  rawBody: string | Uint8Array;
  now: Date;
  toleranceSeconds?: number;
}): SignatureCheck {
  const { secret, timestamp, signature, rawBody, now, toleranceSeconds = 300 } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  const given = SIGNATURE.exec(signature.trim());
  if (!TIMESTAMP.test(timestamp) || !given?.[1]) return { ok: false, reason: 'malformed' };

  const ageSeconds = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (!(ageSeconds <= toleranceSeconds)) return { ok: false, reason: 'stale' };

  const actual = Buffer.from(given[1], 'hex');
  let matched = false;
  for (const candidate of ([] as string[]).concat(secret)) {
    if (!candidate) continue; // an unset secret never matches
    const expected = Buffer.from(hmacHex(candidate, timestamp, rawBody), 'hex');
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
