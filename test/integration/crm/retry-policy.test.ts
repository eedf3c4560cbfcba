import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
} from '../../../shared/adapters/crm/retry-policy.js';

const NOW = new Date('2025-06-01T12:00:00Z');

describe('retry policy', () => {
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 412, 413, 422].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter(new Date(NOW.getTime() + 5000).toUTCString(), NOW)).toBe(5000);
    expect(parseRetryAfter(new Date(NOW.getTime() - 5000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });

  it('backs off exponentially within [ceiling/2, ceiling], capped, and lets Retry-After win up to the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, random) => {
          const policy = { baseMs: 100, maxMs: 10_000 };
          const ceiling = Math.min(10_000, 100 * 2 ** (attempt - 1));
          const delay = retryDelayMs(attempt, policy, undefined, () => random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
    expect(retryDelayMs(1, { baseMs: 100, maxMs: 1000 }, 0)).toBe(0);
    expect(retryDelayMs(1, { baseMs: 100, maxMs: 1000 }, 60_000)).toBe(1000);
  });
});
