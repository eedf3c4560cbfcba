import { describe, expect, it } from 'vitest';
import type { Queue } from '../../../shared/ports.js';
import type { QueueMessage } from '../../../shared/queue-message.js';
import { batchMailboxHints } from '../../../shared/sync/hint-batcher.js';

/** A queue whose sends take `delayMs` and can be made to fail; records what it stored and when. */
function slowQueue(delayMs: number) {
  const stored: { message: QueueMessage; storedAt: number }[] = [];
  let failNext = 0;
  let inFlight = 0;
  const peak = { inFlight: 0 };
  const queue: Queue = {
    async send(_name, message) {
      inFlight++;
      peak.inFlight = Math.max(peak.inFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight--;
      if (failNext > 0) {
        failNext--;
        throw new Error('queue unavailable');
      }
      stored.push({ message, storedAt: Date.now() });
    },
  };
  return { queue, stored, peak, failOnce: () => (failNext = 1) };
}

const clock = { now: () => new Date() };

describe('batchMailboxHints', () => {
  it.each([1, 4])(
    'answers every caller only after a hint taken after its arrival is stored (%i in flight)',
    async (maxInFlight) => {
      const { queue, stored, peak } = slowQueue(20);
      const hints = batchMailboxHints(queue, clock, maxInFlight);
      const calls = Array.from({ length: 60 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, (i % 7) * 5));
        const arrived = new Date().toISOString();
        await hints.notify('a1', [`n${i}`], 'test');
        const covering = stored.find((s) => s.message.kind === 'exchangeChanged' && s.message.at >= arrived);
        expect(covering, `notification ${i} answered before a covering hint was stored`).toBeDefined();
      });
      await Promise.all(calls);
      // 60 notifications within ~30 ms on a 20 ms queue: a few hints, not sixty.
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.length).toBeLessThanOrEqual(4 * maxInFlight);
      expect(peak.inFlight).toBeLessThanOrEqual(maxInFlight);
    },
  );

  it("starts a notification's hint at once while fewer than the maximum are in flight", async () => {
    const { queue, stored, peak } = slowQueue(40);
    const hints = batchMailboxHints(queue, clock, 4);
    const started = Date.now();
    const answered: number[] = [];
    await Promise.all(
      [0, 5, 10].map(async (delay, i) => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        await hints.notify('a1', [`n${i}`], 'test');
        answered.push(Date.now() - started - delay);
      }),
    );
    // Each waited for its own send only (40 ms), not for the ones ahead of it (80 ms and more).
    expect(Math.max(...answered)).toBeLessThan(65);
    expect(stored).toHaveLength(3);
    expect(peak.inFlight).toBe(3);
  });

  it('keeps accounts apart', async () => {
    const { queue, stored } = slowQueue(5);
    const hints = batchMailboxHints(queue, clock);
    await Promise.all([hints.notify('a1', ['x'], 't'), hints.notify('a2', ['y'], 't')]);
    expect(
      stored.map((s) => (s.message.kind === 'exchangeChanged' ? s.message.accountId : '')).sort(),
    ).toEqual(['a1', 'a2']);
  });

  it('reports a failed enqueue to the callers of that hint, and the next hint still goes out', async () => {
    const { queue, stored, failOnce } = slowQueue(5);
    const hints = batchMailboxHints(queue, clock);
    failOnce();
    await expect(hints.notify('a1', ['x'], 't')).rejects.toThrow('queue unavailable');
    await hints.notify('a1', ['y'], 't');
    expect(stored).toHaveLength(1);
  });
});
