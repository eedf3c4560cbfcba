import { type QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { SyncError, toError } from '../../errors.js';
import { QUEUE_NAMES, type Queue, type QueueName } from '../../ports.js';
import type { QueueMessage } from '../../queue-message.js';
import { ringAfterSend } from './doorbell.js';
import { decodePoisonRecord, encodeQueueMessage, type PoisonRecord } from './queue-codec.js';
import {
  type ConsumerHandle,
  type ConsumerOptions,
  startStorageQueueConsumer,
} from './storage-queue-consumer.js';
import { validateQueueMessage } from './validate-message.js';

export const POISON_SUFFIX = '-poison';

export interface StorageQueueTransportOptions {
  connectionString: string;
  /** Prepended to every queue name, so test files and stacks can share one storage account. */
  queueNamePrefix?: string;
}

function storageError(thrown: unknown, what: string): SyncError {
  const status = (thrown as { statusCode?: unknown }).statusCode;
  const code = (thrown as { code?: unknown }).code;
  const kind =
    typeof status !== 'number' || status >= 500 ? 'transient' : status === 404 ? 'notFound' : 'invalid';
  return new SyncError(
    kind,
    typeof code === 'string' ? code : 'StorageQueueError',
    `Storage queue: ${what} failed`,
    {
      ...(typeof status === 'number' ? { status } : {}),
      cause: toError(thrown),
    },
  );
}

/**
 * The Queue port on Azure Storage queues: what the local stack uses in place of Service Bus
 * (Azurite), with a consumer that behaves like the Functions host (storage-queue-consumer.ts).
 */
export class StorageQueueTransport implements Queue {
  constructor(
    private readonly service: QueueServiceClient,
    private readonly prefix = '',
  ) {}

  static fromConnectionString(options: StorageQueueTransportOptions): StorageQueueTransport {
    return new StorageQueueTransport(
      QueueServiceClient.fromConnectionString(options.connectionString),
      options.queueNamePrefix ?? '',
    );
  }

  /** Like fromConnectionString, and creates the queues and their poison queues. */
  static async create(options: StorageQueueTransportOptions): Promise<StorageQueueTransport> {
    const transport = StorageQueueTransport.fromConnectionString(options);
    for (const queue of QUEUE_NAMES) {
      for (const client of [transport.client(queue), transport.poisonClient(queue)]) {
        await client.createIfNotExists().catch((thrown: unknown) => {
          throw storageError(thrown, `create queue ${client.name}`);
        });
      }
    }
    return transport;
  }

  queueName(queue: QueueName): string {
    return this.prefix + queue;
  }

  readonly #clients = new Map<string, QueueClient>();

  /** One client per queue for the life of the transport (building one per send costs time). */
  client(queue: QueueName): QueueClient {
    return this.#clientFor(this.queueName(queue));
  }

  #clientFor(name: string): QueueClient {
    let client = this.#clients.get(name);
    if (!client) {
      client = this.service.getQueueClient(name);
      this.#clients.set(name, client);
    }
    return client;
  }

  poisonClient(queue: QueueName): QueueClient {
    return this.#clientFor(this.queueName(queue) + POISON_SUFFIX);
  }

  async send(queue: QueueName, message: QueueMessage): Promise<void> {
    const text = encodeQueueMessage(validateQueueMessage(message));
    const client = this.client(queue);
    try {
      await client.sendMessage(text);
    } catch (thrown) {
      throw storageError(thrown, `send to ${this.queueName(queue)}`);
    }
    ringAfterSend(client.url);
  }

  startConsumer(options: ConsumerOptions): ConsumerHandle {
    return startStorageQueueConsumer(this.client(options.queue), this.poisonClient(options.queue), options);
  }

  /** Approximate number of messages, invisible (in-flight) ones included. */
  async pendingCount(queue: QueueName): Promise<number> {
    try {
      return (await this.client(queue).getProperties()).approximateMessagesCount ?? 0;
    } catch (thrown) {
      throw storageError(thrown, `count ${this.queueName(queue)}`);
    }
  }

  /** Resolves when the queues hold no message (in flight included); rejects after `timeoutMs`. */
  async waitUntilEmpty(
    queues: readonly QueueName[] = QUEUE_NAMES,
    { timeoutMs = 30_000, pollMs = 100 }: { timeoutMs?: number; pollMs?: number } = {},
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const counts = await Promise.all(queues.map((queue) => this.pendingCount(queue)));
      if (counts.every((count) => count === 0)) return;
      if (Date.now() > deadline) {
        throw new SyncError('transient', 'QueuesNotEmpty', `Queues still hold ${counts.join('/')} messages`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Up to 32 poison records of a queue, without removing them. */
  async peekPoison(queue: QueueName): Promise<PoisonRecord[]> {
    const peeked = await this.poisonClient(queue).peekMessages({ numberOfMessages: 32 });
    return peeked.peekedMessageItems.map((item) => decodePoisonRecord(item.messageText));
  }
}
