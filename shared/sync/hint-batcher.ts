import { createHash } from 'node:crypto';
import type { Clock, Queue } from '../ports.js';

/**
 * Group commit for "something changed in this mailbox" hints. A notification joins the hint of
 * its account that has not started yet, or opens one. Up to `maxInFlight` hints of an account
 * are enqueued at once (a pipeline: a notification never waits for a whole send before its own
 * starts); while that many are in flight, new notifications pile into the one waiting hint,
 * which starts as soon as one of them is stored. Every caller is answered only once its hint
 * is stored. The hint's `at` is taken when its enqueue starts, i.e. after every notification it
 * carries arrived, so a delta round the worker starts after `at` covers them all. A burst of
 * thousands of notifications becomes a few hundred queue messages, and the worker skips every
 * hint a round already covered.
 */
export interface MailboxHints {
  /** Resolves when a hint covering these notifications is in the queue; rejects if enqueueing failed. */
  notify(accountId: string, keys: string[], reason: string): Promise<void>;
}

/**
 * Hints of one account being enqueued at once. Queue sends take 10–30 ms (Service Bus and
 * Azurite alike); with one in flight a notification waits for up to two sends, with four for
 * little more than one, while a burst still coalesces into one hint per send.
 */
export const MAX_HINTS_IN_FLIGHT = 2;

interface Hint {
  keys: string[];
  done: Promise<void>;
  start: () => void;
}

interface Lane {
  inFlight: number;
  /** The hint that has not started yet: new notifications join it. */
  open: Hint | null;
}

export function batchMailboxHints(
  queue: Queue,
  clock: Clock,
  maxInFlight: number = MAX_HINTS_IN_FLIGHT,
): MailboxHints {
  const lanes = new Map<string, Lane>();

  const send = (accountId: string, keys: string[]) => {
    const at = clock.now().toISOString();
    return queue.send('exchange-to-crm', {
      v: 1,
      kind: 'exchangeChanged',
      accountId,
      folderId: null,
      reason: `${keys.length} change notification(s)`,
      at,
      sessionKey: accountId,
      dedupeId: createHash('sha256').update(keys.join('\n')).update(at).digest('base64url'),
    });
  };

  /** Starts the lane's open hint if a slot is free; the next one starts when this one is stored. */
  const launch = (accountId: string, lane: Lane) => {
    const hint = lane.open;
    if (!hint || lane.inFlight >= maxInFlight) return;
    lane.open = null;
    lane.inFlight++;
    hint.start();
    void hint.done
      .catch(() => undefined)
      .finally(() => {
        lane.inFlight--;
        launch(accountId, lane);
        if (lane.inFlight === 0 && !lane.open) lanes.delete(accountId);
      });
  };

  const openHint = (accountId: string): Hint => {
    let start!: () => void;
    const started = new Promise<void>((resolve) => {
      start = resolve;
    });
    const hint: Hint = { keys: [], start, done: Promise.resolve() };
    hint.done = started.then(() => send(accountId, hint.keys));
    return hint;
  };

  return {
    notify(accountId, keys, _reason) {
      let lane = lanes.get(accountId);
      if (!lane) {
        lane = { inFlight: 0, open: null };
        lanes.set(accountId, lane);
      }
      let hint = lane.open;
      if (!hint) {
        hint = openHint(accountId);
        lane.open = hint;
        // After the current task: notifications of requests parsed in the same turn join it.
        const opened = lane;
        queueMicrotask(() => launch(accountId, opened));
      }
      hint.keys.push(...keys);
      return hint.done;
    },
  };
}
