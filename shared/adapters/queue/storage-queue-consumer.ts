import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import { toError } from '../../errors.js';
import type { QueueName } from '../../ports.js';
import type { QueueMessage } from '../../queue-message.js';
import { BoundedMap, KeyedSerialiser } from './keyed-serialiser.js';
import { decodeQueueMessage, encodePoisonRecord, type PoisonRecord, poisonRecord } from './queue-codec.js';
import { keepInvisible, type VisibilityKeeper } from './visibility-keeper.js';

export type ConsumerLog = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface ConsumerOptions {
  queue: QueueName;
  handler: (message: QueueMessage, meta: { dequeueCount: number; messageId: string }) => Promise<void>;
  visibilityTimeoutMs?: number;
  /** After this many failed deliveries the message moves to `<queue>-poison` (Functions: 5). */
  maxDequeueCount?: number;
  pollIntervalMs?: number;
  /** How long a failed message stays invisible before its next try. */
  retryBackoffMs?: number;
  concurrency?: number;
  /** How many recent dedupe ids to remember. */
  dedupeCapacity?: number;
  onPoison?: (record: PoisonRecord) => void | Promise<void>;
  log?: ConsumerLog;
}

export interface ConsumerHandle {
  /** Stops receiving, waits for running handlers; messages not finished simply reappear. */
  stop(): Promise<void>;
}

/**
 * Polls one storage queue the way the Functions host does: receive with a visibility timeout,
 * delete on success, make visible again after a short backoff on failure, move to
 * `<queue>-poison` after `maxDequeueCount` tries or at once when the message is invalid.
 * On top: one sessionKey at a time (KeyedSerialiser) and a bounded set of recently completed
 * dedupe ids, so a duplicate delivered twice to this process runs once. Across processes and
 * beyond that set, duplicates are absorbed by the engine's idempotency (Mirror.markProcessed,
 * re-reading current state), which every handler must keep.
 */
export function startStorageQueueConsumer(
  client: QueueClient,
  poison: QueueClient,
  options: ConsumerOptions,
): ConsumerHandle {
  const visibility = Math.max(1, Math.ceil((options.visibilityTimeoutMs ?? 30_000) / 1000));
  const maxDequeue = options.maxDequeueCount ?? 5;
  const backoff = Math.max(0, Math.round((options.retryBackoffMs ?? 1000) / 1000));
  const concurrency = options.concurrency ?? 4;
  const log: ConsumerLog = options.log ?? (() => {});
  const sessions = new KeyedSerialiser();
  const completed = new BoundedMap<true>(options.dedupeCapacity ?? 10_000);
  const lastErrors = new BoundedMap<string>(1_000);
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let wake = () => {};

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
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

  async function handle(item: DequeuedMessageItem, message: QueueMessage, keeper: VisibilityKeeper) {
    if (stopping)
      return settle(keeper, 'release a message', (r) =>
        client.updateMessage(item.messageId, r, undefined, 0),
      );
    if (completed.get(message.dedupeId) === true) {
      log('info', `${options.queue}: duplicate ${message.dedupeId} dropped`);
      return settle(keeper, 'delete a duplicate', (r) => client.deleteMessage(item.messageId, r));
    }
    try {
      await options.handler(message, { dequeueCount: item.dequeueCount, messageId: item.messageId });
    } catch (thrown) {
      const reason = toError(thrown).message;
      if (item.dequeueCount >= maxDequeue) return moveToPoison(item, keeper, reason);
      lastErrors.set(item.messageId, reason);
      log('warn', `${options.queue}: try ${item.dequeueCount} of ${message.dedupeId} failed: ${reason}`);
      return settle(keeper, 'abandon a message', (r) =>
        client.updateMessage(item.messageId, r, undefined, backoff),
      );
    }
    completed.set(message.dedupeId, true);
    lastErrors.delete(item.messageId);
    return settle(keeper, 'complete a message', (r) => client.deleteMessage(item.messageId, r));
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
    await sessions.run(message.sessionKey, () => handle(item, message, keeper));
  }

  async function loop() {
    while (!stopping) {
      if (inFlight.size >= concurrency) {
        await Promise.race(inFlight);
        continue;
      }
      let items: DequeuedMessageItem[] = [];
      try {
        const received = await client.receiveMessages({
          numberOfMessages: Math.min(32, concurrency - inFlight.size),
          visibilityTimeout: visibility,
        });
        items = received.receivedMessageItems;
      } catch (error) {
        log('warn', `${options.queue}: receive failed: ${toError(error).message}`);
      }
      if (items.length === 0) await sleep(options.pollIntervalMs ?? 1000);
      for (const item of items) {
        const running: Promise<void> = process(item)
          .catch((error: unknown) => log('error', `${options.queue}: ${toError(error).message}`))
          .finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
    }
  }

  const looping = loop();
  return {
    async stop() {
      stopping = true;
      wake();
      await looping;
      await Promise.all([...inFlight]);
    },
  };
}
