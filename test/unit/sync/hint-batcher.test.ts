import { describe, expect, it } from 'vitest';
import type { Queue } from '../../../shared/ports.js';
import type { QueueMessage } from '../../../shared/queue-message.js';
import { batchMailboxHints } from '../../../shared/sync/hint-batcher.js';

/** A queue whose sends take `delayMs` and can be made to fail; records what it stored and when. */
function slowQueue(delayMs: number) {
  const stored: { message: QueueMessage; storedAt: number }[] = [];
  let failNext = 0;
  const queue: Queue = {
    async send(_name, message) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (failNext > 0) {
        failNext--;
        throw new Error('queue unavailable');
      }
      stored.push({ message, storedAt: Date.now() });
    },
  };
  return { queue, stored, failOnce: () => (failNext = 1) };
}

const clock = { now: () => new Date() };

describe('batchMailboxHints', () => {
  it('answers every caller only after a hint taken after its arrival is stored', async () => {
    const { queue, stored } = slowQueue(20);
    const hints = batchMailboxHints(queue, clock);
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
    expect(stored.length).toBeLessThan(10);
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
