import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pollDue, pollOffsetMs } from '../../../shared/sync/poll-schedule.js';
import { pollWindow } from '../../../shared/sync/timer-jobs.js';

/** The polling timer's schedule (issue 18 item 2): every account once per interval, spread. */

const MIN2 = 120_000;
const TICK = 30_000;
const T0 = Date.parse('2026-12-02T10:00:00.000Z');

/** The polls of `id` over `ticks` timer runs, one every TICK. */
function polls(id: string, ticks: number, interval = MIN2, start = T0): number[] {
  const out: number[] = [];
  for (let i = 1; i <= ticks; i++) {
    const due = pollDue(id, new Date(start + (i - 1) * TICK), new Date(start + i * TICK), interval);
    if (due) out.push(i);
  }
  return out;
}

describe('pollDue', () => {
  it('polls every account exactly once per interval, at a tick of its own', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 10_000 }),
        (id, shift) => {
          const start = T0 + shift * 1000;
          const ticks = polls(id, 40, MIN2, start); // 20 minutes
          expect(ticks).toHaveLength(10);
          // Always the same distance apart: the interval, in ticks.
          for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBe(MIN2 / TICK);
        },
      ),
    );
  });

  it('spreads accounts over the interval instead of polling them all at one tick', () => {
    const perTick = [0, 0, 0, 0];
    for (let a = 0; a < 400; a++) for (const t of polls(`acc-${a}`, 4)) perTick[t - 1]! += 1;
    expect(perTick.reduce((x, y) => x + y)).toBe(400);
    for (const n of perTick) expect(n).toBeGreaterThan(60); // about 100 each
    expect(pollOffsetMs('acc-1', MIN2)).not.toBe(pollOffsetMs('acc-2', MIN2));
  });

  it('gives the same slot to two overlapping runs (the dedupe id polls once)', () => {
    const at = T0 + pollOffsetMs('acc-7', MIN2) + 5 * MIN2;
    const a = pollDue('acc-7', new Date(at - TICK), new Date(at + 1000), MIN2);
    const b = pollDue('acc-7', new Date(at - 1000), new Date(at + TICK), MIN2);
    expect(a?.slot).toBeDefined();
    expect(a?.slot).toBe(b?.slot);
  });

  it('waits out a back-off, then polls at the first run after it (both sides)', () => {
    const id = 'acc-busy';
    const until = new Date(T0 + 95_000).toISOString();
    const runs = [1, 2, 3, 4, 5, 6].map((i) =>
      pollDue(id, new Date(T0 + (i - 1) * TICK), new Date(T0 + i * TICK), MIN2, until),
    );
    expect(runs.slice(0, 3)).toEqual([null, null, null]); // up to 90 s: still waiting
    expect(runs[3]).toMatchObject({ afterBackOff: true }); // 90–120 s: the wait ended there
    // Later runs are the ordinary schedule again.
    expect(runs.slice(4).every((r) => r === null || r.afterBackOff === false)).toBe(true);
  });

  it('timer runs a little late leave no slot out, and a slot two runs cover has one number', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 8, maxLength: 8 }), (lateMs) => {
        const windows = lateMs.map((late, i) => pollWindow(new Date(T0 + i * TICK + late)));
        for (let i = 1; i < windows.length; i++)
          expect(windows[i]?.since.getTime()).toBeLessThanOrEqual(windows[i - 1]?.now.getTime() ?? 0);
        const id = 'acc-late';
        const slots = new Set(
          windows.map((w) => pollDue(id, w.since, w.now, MIN2)?.slot).filter((s) => s !== undefined),
        );
        // 8 runs from T0 - 30 s: two or three slot instants of a 2-minute interval, each once.
        const first = Math.floor((T0 - TICK - pollOffsetMs(id, MIN2)) / MIN2);
        const last = Math.floor((T0 + 7 * TICK + (lateMs[7] ?? 0) - pollOffsetMs(id, MIN2)) / MIN2);
        expect(slots.size).toBe(last - first);
      }),
    );
  });
});
