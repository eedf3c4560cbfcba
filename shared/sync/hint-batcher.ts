import { createHash } from 'node:crypto';
import type { Clock, Queue } from '../ports.js';

/**
 * Group commit for "something changed in this mailbox" hints. Notifications for one account
 * that arrive while a hint for it is being enqueued join the NEXT hint, which is enqueued as
 * soon as the current one is stored; every caller is answered only once its hint is stored.
 * The hint's `at` is taken when its enqueue starts, i.e. after every notification it carries
 * arrived, so a delta round the worker starts after `at` covers them all. A burst of hundreds
 * of notifications becomes a handful of queue messages and one or two delta rounds.
 */
export interface MailboxHints {
  /** Resolves when a hint covering these notifications is in the queue; rejects if enqueueing failed. */
  notify(accountId: string, keys: string[], reason: string): Promise<void>;
}

interface Batch {
  keys: string[];
  count: number;
  reason: string;
  done: Promise<void>;
  start: () => void;
}

export function batchMailboxHints(queue: Queue, clock: Clock): MailboxHints {
  const waiting = new Map<string, Batch>();
  const sending = new Map<string, Promise<void>>();

  const open = (accountId: string): Batch => {
    let start!: () => void;
    const started = new Promise<void>((resolve) => {
      start = resolve;
    });
    const batch: Batch = { keys: [], count: 0, reason: '', start, done: Promise.resolve() };
    batch.done = started.then(async () => {
      waiting.delete(accountId);
      const at = clock.now().toISOString();
      await queue.send('exchange-to-crm', {
        v: 1,
        kind: 'exchangeChanged',
        accountId,
        folderId: null,
        reason: `${batch.count} change notification(s)`,
        at,
        sessionKey: accountId,
        dedupeId: createHash('sha256').update(batch.keys.join('\n')).update(at).digest('base64url'),
      });
    });
    return batch;
  };

  return {
    notify(accountId, keys, _reason) {
      let batch = waiting.get(accountId);
      if (!batch) {
        const next = open(accountId);
        waiting.set(accountId, next);
        batch = next;
        // Start once the hint in flight (if any) is stored; otherwise at once.
        const previous = sending.get(accountId) ?? Promise.resolve();
        const mine = previous
          .catch(() => undefined)
          .then(() => {
            next.start();
            return next.done;
          });
        sending.set(accountId, mine);
        void mine
          .catch(() => undefined)
          .finally(() => {
            if (sending.get(accountId) === mine) sending.delete(accountId);
          });
      }
      batch.keys.push(...keys);
      batch.count += keys.length;
      return batch.done;
    },
  };
}
