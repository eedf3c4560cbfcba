import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey } from '../../../shared/adapters/tables/key-encoding.js';
import { isSyncError } from '../../../shared/errors.js';

// Only base64url characters: none of Table Storage's forbidden key characters (`/ \ # ?`,
// control characters), nor `%` or our separator `|`.
const SAFE = /^[A-Za-z0-9_-]*$/;

describe('table key encoding', () => {
  it('round-trips any well-formed string and never emits a forbidden character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (raw) => {
        const encoded = encodeKey(raw);
        expect(encoded).toMatch(SAFE);
        expect(decodeKey(encoded)).toBe(raw);
      }),
    );
  });

  it('is injective: different ids never share a key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        fc.pre(a !== b);
        expect(encodeKey(a)).not.toBe(encodeKey(b));
      }),
    );
  });

  it('encodes Graph-style ids with / + = and control characters safely', () => {
    const ids = [
      'AAMkAGI2THVSAAA=',
      'AAMkAGI2/THV+SAA==',
      'a/b\\c#d?e%f',
      'tab\there\nnew\u0000line\u007f\u0085',
      'crm:ümlaut-😀',
    ];
    for (const id of ids) {
      const encoded = encodeKey(id);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeKey(encoded)).toBe(id);
    }
  });

  it('refuses ids that cannot round-trip or are too long, with an invalid SyncError', () => {
    for (const bad of ['lone \ud800 surrogate', 'x'.repeat(600)]) {
      let thrown: unknown;
      try {
        encodeKey(bad);
      } catch (error) {
        thrown = error;
      }
      expect(isSyncError(thrown, 'invalid')).toBe(true);
    }
    expect(() => decodeKey('not/base64')).toThrow(/Not an encoded table key/);
  });
});
