import { SyncError } from '../../errors.js';

/**
 * Table keys cannot hold `/ \ # ?` or control characters (DESIGN.md section 10), and Graph ids
 * contain `/`, `+` and `=`. Every external id therefore goes into a PartitionKey/RowKey as
 * base64url of its UTF-8 bytes: only `A-Z a-z 0-9 - _`, so `|` stays free as our separator and
 * no `%` reaches the service (percent signs in keys are a known source of trouble there).
 */

// A lone surrogate has no UTF-8 form, so two different ids would encode the same: refuse it.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Azure allows 1 KiB per key; stay well inside it so a prefix still fits. */
const MAX_ENCODED_LENGTH = 700;

export function encodeKey(raw: string): string {
  if (LONE_SURROGATE.test(raw)) {
    throw new SyncError('invalid', 'InvalidKey', 'A table key contains a lone UTF-16 surrogate');
  }
  const encoded = Buffer.from(raw, 'utf8').toString('base64url');
  if (encoded.length > MAX_ENCODED_LENGTH) {
    throw new SyncError(
      'invalid',
      'KeyTooLong',
      `A table key is ${raw.length} characters long; at most about 500 are supported`,
    );
  }
  return encoded;
}

export function decodeKey(encoded: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) {
    throw new SyncError('invalid', 'InvalidKey', 'Not an encoded table key');
  }
  return Buffer.from(encoded, 'base64url').toString('utf8');
}

/** The smallest string greater than every string that starts with `prefix` (for range filters). */
export function prefixUpperBound(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
