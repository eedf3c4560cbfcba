import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signCrmEvent, verifyCrmSignature } from '../../../shared/adapters/crm/signature.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const secretArb = fc.string({ minLength: 1, maxLength: 64 });
const bodyArb = fc.string({ maxLength: 2000, unit: 'binary' });

describe('verifyCrmSignature', () => {
  it('accepts any body signed with the secret within the tolerance', () => {
    fc.assert(
      fc.property(secretArb, bodyArb, fc.integer({ min: -300, max: 300 }), (secret, body, skew) => {
        const timestamp = String(nowSeconds + skew);
        const signature = signCrmEvent(secret, timestamp, body);
        expect(verifyCrmSignature({ secret, timestamp, signature, rawBody: body, now: NOW })).toEqual({
          ok: true,
        });
        // Bytes and string give the same answer.
        const rawBody = Buffer.from(body, 'utf8');
        expect(verifyCrmSignature({ secret, timestamp, signature, rawBody, now: NOW })).toEqual({ ok: true });
      }),
    );
  });

  it('rejects any single bit flip in the body', () => {
    fc.assert(
      fc.property(
        secretArb,
        fc.uint8Array({ minLength: 1, maxLength: 500 }),
        fc.nat(),
        (secret, bytes, pick) => {
          const timestamp = String(nowSeconds);
          const signature = signCrmEvent(secret, timestamp, bytes);
          const flipped = Uint8Array.from(bytes);
          const bit = pick % (flipped.length * 8);
          flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
          const check = verifyCrmSignature({ secret, timestamp, signature, rawBody: flipped, now: NOW });
          expect(check).toEqual({ ok: false, reason: 'mismatch' });
        },
      ),
    );
  });

  it('rejects any single bit flip in the signature or a changed timestamp', () => {
    fc.assert(
      fc.property(secretArb, bodyArb, fc.integer({ min: 0, max: 255 }), (secret, body, bit) => {
        const timestamp = String(nowSeconds);
        const signature = signCrmEvent(secret, timestamp, body);
        const digest = Buffer.from(signature.slice('sha256='.length), 'hex');
        digest[bit >> 3] = (digest[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        const tampered = `sha256=${digest.toString('hex')}`;
        expect(
          verifyCrmSignature({ secret, timestamp, signature: tampered, rawBody: body, now: NOW }),
        ).toEqual({
          ok: false,
          reason: 'mismatch',
        });
        const otherTimestamp = String(nowSeconds - 1);
        expect(
          verifyCrmSignature({ secret, timestamp: otherTimestamp, signature, rawBody: body, now: NOW }),
        ).toEqual({ ok: false, reason: 'mismatch' });
      }),
    );
  });

  it('rejects a timestamp outside the tolerance as stale, even when correctly signed', () => {
    fc.assert(
      fc.property(
        secretArb,
        bodyArb,
        fc.integer({ min: 301, max: 10_000_000 }),
        fc.boolean(),
        (secret, body, age, future) => {
          const timestamp = String(nowSeconds + (future ? age : -age));
          const signature = signCrmEvent(secret, timestamp, body);
          expect(verifyCrmSignature({ secret, timestamp, signature, rawBody: body, now: NOW })).toEqual({
            ok: false,
            reason: 'stale',
          });
        },
      ),
    );
  });

  it('honours a custom tolerance', () => {
    const timestamp = String(nowSeconds - 61);
    const signature = signCrmEvent('s', timestamp, '{}');
    const base = { secret: 's', timestamp, signature, rawBody: '{}', now: NOW };
    expect(verifyCrmSignature({ ...base, toleranceSeconds: 60 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyCrmSignature({ ...base, toleranceSeconds: 61 })).toEqual({ ok: true });
  });

  it.each([
    ['no timestamp', undefined, 'sha256=' + 'a'.repeat(64), 'missing'],
    ['no signature', '1748779200', null, 'missing'],
    ['empty signature', '1748779200', '', 'missing'],
    ['non-numeric timestamp', 'yesterday', 'sha256=' + 'a'.repeat(64), 'malformed'],
    ['timestamp in ms with a dot', '1748779200.5', 'sha256=' + 'a'.repeat(64), 'malformed'],
    ['no sha256= prefix', '1748779200', 'a'.repeat(64), 'malformed'],
    ['short digest', '1748779200', 'sha256=abcd', 'malformed'],
    ['non-hex digest', '1748779200', 'sha256=' + 'z'.repeat(64), 'malformed'],
  ])('reports %s', (_name, timestamp, signature, reason) => {
    expect(verifyCrmSignature({ secret: 's', timestamp, signature, rawBody: '{}', now: NOW })).toEqual({
      ok: false,
      reason,
    });
  });

  it('matches an independently computed HMAC of "<timestamp>.<body>"', () => {
    // Fixed vector: HMAC-SHA256(key "secret", "1748779200.{}"), computed with openssl.
    expect(signCrmEvent('secret', 1748779200, '{}')).toBe(`sha256=${EXPECTED}`);
  });
});

const EXPECTED = '74f7a5dca516bafde199c5b261dbfcb38b423f584c530570be027d4947e2684e';
