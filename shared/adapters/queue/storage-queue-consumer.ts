import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import pLimit from 'p-limit';
import { BoundedMap } from '../../bounded-map.js';
import { toError } from '../../errors.js';
import type { QueueName } from '../../ports.js';
import type { QueueMessage } from '../../queue-message.js';
import { listenForSends } from './doorbell.js';
import { decodeQueueMessage, encodePoisonRecord, type PoisonRecord, poisonRecord } from './queue-codec.js';
import { keepInvisible, type VisibilityKeeper } from './visibility-keeper.js';

export type ConsumerLog = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface ConsumerOptions {
  queue: QueueName;
  handler: (message: QueueMessage, meta: { dequeueCount: number; messageId: string }) => Promise<void>;
  /**
   * Handles several waiting messages of one session in one call (Service Bus: a trigger with
   * `cardinality: 'many'` on a session queue). When it throws, each message is handled alone
   * with `handler`, so one bad message is retried and poisoned alone, not with its batch-mates.
   */
  handleBatch?: (messages: QueueMessage[]) => Promise<void>;
  /** Most messages given to one `handleBatch` call. */
  maxBatch?: number;
  visibilityTimeoutMs?: number;
  /** After this many failed deliveries the message moves to `<queue>-poison` (Functions: 5). */
  maxDequeueCount?: number;
  /**
   * Longest wait between two receives on an empty queue. The wait starts at an eighth of this
   * and doubles while the queue stays empty (the Functions host backs off the same way); a send
   * from this process wakes the consumer at once (doorbell.ts).
   */
  pollIntervalMs?: number;
  /** How long a failed message stays invisible before its next try. */
  retryBackoffMs?: number;
  /** Handlers running at once (across sessions; one session never runs two). */
  concurrency?: number;
  /**
   * Messages fetched per receive (at most 32, the most a receive returns); the next batch is
   * fetched when half of it is left. A receive costs the storage service far more than a
   * message, so fetching one message per free handler would spend it on receives.
   */
  batchSize?: number;
  /** How many recent dedupe ids to remember. */
  dedupeCapacity?: number;
  onPoison?: (record: PoisonRecord) => void | Promise<void>;
  log?: ConsumerLog;
}

interface Waiting {
  item: DequeuedMessageItem;
  message: QueueMessage;
  keeper: VisibilityKeeper;
  finished: () => void;
}

export interface ConsumerHandle {
  /** Stops receiving, waits for running handlers; messages not finished simply reappear. */
  stop(): Promise<void>;
}

/**
 * Polls one storage queue the way the Functions host does: receive with a visibility timeout,
 * delete on success, make visible again after a short backoff on failure, move to
 * `<queue>-poison` after `maxDequeueCount` tries or at once when the message is invalid.
 * On top: one sessionKey at a time (messages of a session that wait together go to `handleBatch`
 * when given) and a bounded set of recently completed
 * dedupe ids, so a duplicate delivered twice to this process runs once. Across processes and
 * beyond that set, duplicates are absorbed by the engine's idempotency (every handler re-reads
 * the current state, and echoes are told by changeKey/version and content hash), which every
 * handler must keep.
 */
export function startStorageQueueConsumer(
  client: QueueClient,
  poison: QueueClient,
  options: ConsumerOptions,
): ConsumerHandle {
  const visibility = Math.max(1, Math.ceil((options.visibilityTimeoutMs ?? 30_000) / 1000));
  const maxDequeue = options.maxDequeueCount ?? 5;
  const backoff = Math.max(0, Math.round((options.retryBackoffMs ?? 1000) / 1000));
  const limit = pLimit(options.concurrency ?? 4);
  const batchSize = Math.min(32, Math.max(1, options.batchSize ?? 32));
  const maxPollMs = options.pollIntervalMs ?? 1000;
  const minPollMs = Math.max(5, Math.min(maxPollMs, Math.round(maxPollMs / 8)));
  const log: ConsumerLog = options.log ?? (() => {});
  const maxBatch = options.handleBatch ? Math.max(1, options.maxBatch ?? 16) : 1;
  /** Per session, the messages waiting for their turn, oldest first (present while it runs). */
  const sessions = new Map<string, Waiting[]>();
  const completed = new BoundedMap<true>(options.dedupeCapacity ?? 10_000);
  const lastErrors = new BoundedMap<string>(1_000);
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  // Set by a send from this process (or stop): the next idle wait is skipped, even when the
  // send happened during a receive that came back empty.
  let rung = false;
  let wakeSleeper = () => {};
  const wake = () => {
    rung = true;
    wakeSleeper();
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (rung) return resolve();
      const timer = setTimeout(resolve, ms);
      wakeSleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const settle = (keeper: VisibilityKeeper, what: string, action: (receipt: string) => Promise<unknown>) =>
    keeper
      .finish(async (receipt) => {
        await action(receipt);
      })
      .catch((error: unknown) =>
        log('warn', `${options.queue}: could not ${what}: ${toError(error).message}`),
      );

  async function moveToPoison(item: DequeuedMessageItem, keeper: VisibilityKeeper, reason: string) {
    const record = poisonRecord(item, client.name, reason, new Date());
    log('error', `${options.queue}: message ${item.messageId} moved to ${poison.name}: ${reason}`);
    // Poison copy first, then delete: a crash in between duplicates the record, never loses it.
    await settle(keeper, 'move a message to poison', async (receipt) => {
      await poison.sendMessage(encodePoisonRecord(record));
      await client.deleteMessage(item.messageId, receipt);
    });
    await options.onPoison?.(record);
  }

  const release = (w: Waiting) =>
    settle(w.keeper, 'release a message', (r) => client.updateMessage(w.item.messageId, r, undefined, 0));

  const complete = (w: Waiting) => {
    completed.set(w.message.dedupeId, true);
    lastErrors.delete(w.item.messageId);
    return settle(w.keeper, 'complete a message', (r) => client.deleteMessage(w.item.messageId, r));
  };

  /**
   * Runs one message. Resolves once the handler is done, with its settlement (delete, abandon
   * or poison) still running: the session's next turn need not wait for it.
   */
  async function runOne(w: Waiting): Promise<{ settled: Promise<void> }> {
    const { item, message, keeper } = w;
    try {
      await options.handler(message, { dequeueCount: item.dequeueCount, messageId: item.messageId });
    } catch (thrown) {
      const reason = toError(thrown).message;
      if (item.dequeueCount >= maxDequeue) return { settled: moveToPoison(item, keeper, reason) };
      lastErrors.set(item.messageId, reason);
      log('warn', `${options.queue}: try ${item.dequeueCount} of ${message.dedupeId} failed: ${reason}`);
      return {
        settled: settle(keeper, 'abandon a message', (r) =>
          client.updateMessage(item.messageId, r, undefined, backoff),
        ),
      };
    }
    return { settled: complete(w) };
  }

  /** One session's turn: a batch when several messages wait, else one. Settlements in group order. */
  async function runTurn(group: Waiting[]): Promise<Promise<void>[]> {
    if (stopping) return group.map(release);
    const settled = new Map<Waiting, Promise<void>>();
    const fresh: Waiting[] = [];
    for (const w of group) {
      if (completed.get(w.message.dedupeId) === true) {
        log('info', `${options.queue}: duplicate ${w.message.dedupeId} dropped`);
        settled.set(
          w,
          settle(w.keeper, 'delete a duplicate', (r) => client.deleteMessage(w.item.messageId, r)),
        );
      } else fresh.push(w);
    }
    let batched = false;
    if (fresh.length > 1 && options.handleBatch) {
      try {
        await options.handleBatch(fresh.map((w) => w.message));
        batched = true;
      } catch (thrown) {
        const reason = toError(thrown).message;
        log('warn', `${options.queue}: a batch of ${fresh.length} failed (${reason}); one by one now`);
      }
    }
    for (const w of fresh) settled.set(w, batched ? complete(w) : (await runOne(w)).settled);
    return group.map((w) => settled.get(w) ?? Promise.resolve());
  }

  /** Works through one session's waiting messages, a turn at a time, until none is left. */
  async function pump(key: string, waiting: Waiting[]) {
    while (waiting.length > 0) {
      const group = waiting.splice(0, maxBatch);
      let settlements: Promise<void>[] = [];
      try {
        settlements = await limit(() => runTurn(group));
      } catch (error) {
        log('error', `${options.queue}: ${toError(error).message}`);
      }
      // The next turn need not wait for these deletes; each message is finished once settled.
      group.forEach((w, i) => {
        void (settlements[i] ?? Promise.resolve()).finally(w.finished);
      });
    }
    sessions.delete(key);
  }

  async function process(item: DequeuedMessageItem) {
    const keeper = keepInvisible(client, item, visibility, (error) =>
      log('warn', `${options.queue}: could not renew ${item.messageId}: ${toError(error).message}`),
    );
    let message: QueueMessage;
    try {
      message = decodeQueueMessage(item.messageText);
    } catch (thrown) {
      return moveToPoison(item, keeper, toError(thrown).message);
    }
    if (item.dequeueCount > maxDequeue) {
      const reason =
        lastErrors.get(item.messageId) ?? `dequeued ${item.dequeueCount} times without completing`;
      return moveToPoison(item, keeper, reason);
    }
    // The session's turn first, then a handler slot: a message waiting for its session holds no slot.
    await new Promise<void>((finished) => {
      const entry: Waiting = { item, message, keeper, finished };
      const waiting = sessions.get(message.sessionKey);
      if (waiting) waiting.push(entry);
      else {
        const started = [entry];
        sessions.set(message.sessionKey, started);
        // After this receive's other messages joined their sessions, so they can form one batch.
        queueMicrotask(() => void pump(message.sessionKey, started));
      }
    });
  }

  async function loop() {
    let idleMs = 0;
    while (!stopping) {
      // Received messages wait here (kept invisible) until a handler is free: fetch the next
      // batch only when no more than half a batch is left.
      if (inFlight.size > batchSize / 2) {
        await Promise.race(inFlight);
        continue;
      }
      let items: DequeuedMessageItem[] = [];
      if (rung) idleMs = 0;
      rung = false;
      try {
        const received = await client.receiveMessages({
          numberOfMessages: batchSize,
          visibilityTimeout: visibility,
        });
        items = received.receivedMessageItems;
      } catch (error) {
        log('warn', `${options.queue}: receive failed: ${toError(error).message}`);
      }
      if (items.length === 0) {
        idleMs = idleMs === 0 ? minPollMs : Math.min(idleMs * 2, maxPollMs);
        await sleep(idleMs);
      } else idleMs = 0;
      for (const item of items) {
        const running: Promise<void> = process(item)
          .catch((error: unknown) => log('error', `${options.queue}: ${toError(error).message}`))
          .finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
    }
  }

  const unlisten = listenForSends(client.url, wake);
  const looping = loop();
  return {
    async stop() {
      stopping = true;
      unlisten();
      wake();
      await looping;
      await Promise.all([...inFlight]);
    },
  };
}
