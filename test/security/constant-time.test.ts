import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signCrmEvent, verifyCrmSignature } from '../../shared/adapters/crm/signature.js';
import { constantTimeEqual } from '../../shared/sync/intake.js';

/**
 * Secrets (Graph clientState, the CRM webhook HMAC) are compared in constant time: the
 * behaviour of the two functions, and their source (crypto.timingSafeEqual decides, no ===).
 */

const root = new URL('../../', import.meta.url);

/** The text of one top-level function of a source file (from its signature to its closing brace). */
async function functionSource(file: string, name: string): Promise<string> {
  const text = await readFile(new URL(file, root), 'utf8');
  const start = text.search(new RegExp(`(export )?(async )?function ${name}\\(`));
  expect(start, `${name} in ${file}`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n}\n', start);
  return text.slice(start, end + 2);
}

/** Comparisons left once length checks (which reveal no content) are taken out. */
const contentComparisons = (source: string) =>
  source.replace(/[\w.[\]]+\.length\s*===\s*[\w.[\]]+\.length/g, '').match(/[!=]==?|==/g) ?? [];

describe('constantTimeEqual (Graph clientState)', () => {
  it('is true only for equal strings, whatever their lengths, of equal or different lengths', () => {
    const secret = 'Ai8vBLu0sq7kxBSJF_kxjMn5pw2MI9V0';
    expect(constantTimeEqual(secret, secret)).toBe(true);
    expect(constantTimeEqual(secret, `${secret.slice(0, -1)}X`)).toBe(false);
    expect(constantTimeEqual(secret, secret.slice(0, -1))).toBe(false);
    expect(constantTimeEqual(secret, `${secret}0`)).toBe(false);
    expect(constantTimeEqual(secret, '')).toBe(false);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
    );
  });

  it('is written with timingSafeEqual and compares no content with ===', async () => {
    const source = await functionSource('shared/sync/intake.ts', 'constantTimeEqual');
    expect(source).toContain('timingSafeEqual(');
    expect(contentComparisons(source)).toEqual([]);
    const owner = await functionSource('shared/sync/intake.ts', 'ownerOf');
    expect(owner).toMatch(/constantTimeEqual\(\s*expected,\s*clientState\s*\)/);
    expect(owner).not.toMatch(/clientState\s*[!=]==?|[!=]==?\s*clientState\b|expected\s*[!=]==?/);
  });
});

describe('verifyCrmSignature (CRM webhook HMAC)', () => {
  const secret = 'webhook-secret-for-the-test';
  const body = '{"eventId":"e1"}';
  const now = new Date('2026-05-01T12:00:00Z');
  const ts = String(Math.floor(now.getTime() / 1000));
  const check = (signature: string) =>
    verifyCrmSignature({ secret, timestamp: ts, signature, rawBody: body, now });

  it('accepts the right signature and refuses a wrong one of the same length', () => {
    const right = signCrmEvent(secret, ts, body);
    expect(check(right)).toEqual({ ok: true });
    const flipped = right.slice(0, -1) + (right.endsWith('0') ? '1' : '0');
    expect(check(flipped)).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(signCrmEvent('another secret', ts, body))).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses signatures of another length', () => {
    const right = signCrmEvent(secret, ts, body);
    expect(check(right.slice(0, -2))).toEqual({ ok: false, reason: 'malformed' });
    expect(check(`${right}00`)).toEqual({ ok: false, reason: 'malformed' });
    expect(check('sha256=')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('is written with timingSafeEqual and compares no content with ===', async () => {
    const source = await functionSource('shared/adapters/crm/signature.ts', 'verifyCrmSignature');
    expect(source).toContain('timingSafeEqual(');
    expect(contentComparisons(source)).toEqual([]);
  });

  it('the source check itself catches a plain comparison', () => {
    expect(contentComparisons('function f(a, b) { return a.length === b.length && a === b; }')).toEqual([
      '===',
    ]);
    expect(contentComparisons('function f(a, b) { return a.length === b.length; }')).toEqual([]);
  });
});
