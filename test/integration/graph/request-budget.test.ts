import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Grant, RequestBudget } from '../../../shared/adapters/graph/request-budget.js';
import { backoffDelayMs, parseRetryAfter } from '../../../shared/adapters/graph/retry-timing.js';

const granted = (budget: RequestBudget, now: number, units = 1): Grant => {
  const admission = budget.tryAcquire(now, units);
  if (admission.grant === null) throw new Error(`expected a grant at ${now}`);
  return admission.grant;
};

describe('RequestBudget', () => {
  it('admits at most `concurrency` requests in flight and wakes on release', () => {
    const budget = new RequestBudget({ requestsPerWindow: 100, windowMs: 1000, concurrency: 2 });
    const a = granted(budget, 0);
    granted(budget, 0);
    expect(budget.tryAcquire(0)).toEqual({ grant: null, waitUntilMs: null });
    budget.release(a, 5);
    granted(budget, 5);
  });

  it('counts a request until windowMs after its response, and says when room comes back', () => {
    const budget = new RequestBudget({ requestsPerWindow: 3, windowMs: 1000, concurrency: 4 });
    const grants = [granted(budget, 0), granted(budget, 10), granted(budget, 20)];
    expect(budget.tryAcquire(30)).toEqual({ grant: null, waitUntilMs: null }); // all still in flight
    grants.forEach((g, i) => {
      budget.release(g, 100 + i * 50);
    });
    expect(budget.tryAcquire(300)).toEqual({ grant: null, waitUntilMs: 1100 });
    expect(budget.tryAcquire(1099).grant).toBeNull();
    granted(budget, 1100);
    expect(budget.tryAcquire(1100)).toEqual({ grant: null, waitUntilMs: 1150 });
  });

  it('charges a $batch one unit per inner request and up to all slots', () => {
    const budget = new RequestBudget({ requestsPerWindow: 40, windowMs: 2000, concurrency: 4 });
    const batch = granted(budget, 0, 20);
    expect(batch).toMatchObject({ units: 20, slots: 4 });
    expect(budget.tryAcquire(0, 1)).toEqual({ grant: null, waitUntilMs: null });
    budget.release(batch, 50);
    granted(budget, 50, 20);
    const third = budget.tryAcquire(60, 1);
    expect(third.grant).toBeNull();
    expect(budget.usage(60)).toEqual({ units: 40, slots: 4 });
  });

  it('caps an oversized request at the whole budget instead of blocking forever', () => {
    const budget = new RequestBudget({ requestsPerWindow: 10, windowMs: 1000, concurrency: 4 });
    expect(granted(budget, 0, 20)).toMatchObject({ units: 10, slots: 4 });
  });

  it('holds everything back while paused', () => {
    const budget = new RequestBudget({ requestsPerWindow: 10, windowMs: 1000, concurrency: 4 });
    budget.pauseUntil(500);
    budget.pauseUntil(200); // an earlier pause never shortens a later one
    expect(budget.tryAcquire(100)).toEqual({ grant: null, waitUntilMs: 500 });
    granted(budget, 500);
  });

  it('never lets more than N requests arrive in any server window, whatever the delays', () => {
    // Requests arrive at the server somewhere between being sent and their response;
    // a fixed server window of the same length must never count more than N of them.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 80 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 199 }),
        (perWindow, concurrency, requests, serverOffset) => {
          const windowMs = 200;
          const budget = new RequestBudget({ requestsPerWindow: perWindow, windowMs, concurrency });
          const arrivals: number[] = [];
          const inFlight: { grant: Grant; endsAt: number }[] = [];
          let now = 0;
          for (const [gap, duration] of requests) {
            now += gap;
            for (;;) {
              inFlight.sort((a, b) => a.endsAt - b.endsAt);
              for (const f of inFlight.filter((x) => x.endsAt <= now)) budget.release(f.grant, f.endsAt);
              inFlight.splice(0, inFlight.filter((x) => x.endsAt <= now).length);
              const admission = budget.tryAcquire(now);
              if (admission.grant) {
                inFlight.push({ grant: admission.grant, endsAt: now + duration });
                arrivals.push(now + Math.floor(duration / 2));
                break;
              }
              const next = [
                admission.waitUntilMs ?? Number.POSITIVE_INFINITY,
                ...inFlight.map((f) => f.endsAt),
              ];
              now = Math.max(now + 1, Math.min(...next));
            }
            expect(inFlight.length).toBeLessThanOrEqual(concurrency);
          }
          const perServerWindow = new Map<number, number>();
          for (const at of arrivals) {
            const window = Math.floor((at + serverOffset) / windowMs);
            perServerWindow.set(window, (perServerWindow.get(window) ?? 0) + 1);
          }
          expect(Math.max(...perServerWindow.values())).toBeLessThanOrEqual(perWindow);
        },
      ),
    );
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('0', 0)).toBe(0);
    const now = Date.parse('2025-07-01T10:00:00Z');
    expect(parseRetryAfter('Tue, 01 Jul 2025 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 01 Jul 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    const backoff = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelayMs(1, backoff, () => 0)).toBe(50);
    expect(backoffDelayMs(1, backoff, () => 1)).toBe(100);
    expect(backoffDelayMs(3, backoff, () => 1)).toBe(400);
    expect(backoffDelayMs(10, backoff, () => 1)).toBe(1000);
    expect(backoffDelayMs(10, backoff, () => 0)).toBe(500);
  });
});
