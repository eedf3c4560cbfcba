import { QueueServiceClient } from '@azure/storage-queue';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { PoisonRecord } from '../../../shared/adapters/queue/queue-codec.js';
import type {
  ConsumerHandle,
  ConsumerOptions,
} from '../../../shared/adapters/queue/storage-queue-consumer.js';
import { StorageQueueTransport } from '../../../shared/adapters/queue/storage-queue-transport.js';
import type { QueueMessage } from '../../../shared/queue-message.js';
import { uniqueName } from '../../support/names.js';

const connectionString = inject('storageConnectionString');
const consumers: ConsumerHandle[] = [];

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});

async function freshTransport() {
  return StorageQueueTransport.create({ connectionString, queueNamePrefix: `${uniqueName('q')}-` });
}

const message = (dedupeId: string, sessionKey = 'acc-1'): QueueMessage => ({
  v: 1,
  kind: 'reconcile',
  full: false,
  sessionKey,
  dedupeId,
  accountId: sessionKey,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

// Scaled-down timings: 1 s visibility, fast polling, immediate retry.
function consume(
  transport: StorageQueueTransport,
  options: Partial<ConsumerOptions> & Pick<ConsumerOptions, 'handler'>,
) {
  const consumer = transport.startConsumer({
    queue: 'exchange-to-crm',
    visibilityTimeoutMs: 1_000,
    pollIntervalMs: 50,
    retryBackoffMs: 0,
    concurrency: 4,
    ...options,
  });
  consumers.push(consumer);
  return consumer;
}

describe('StorageQueueTransport on Azurite', () => {
  it('sends base64 JSON, receives, completes, and the queue drains', async () => {
    const transport = await freshTransport();
    await transport.send('exchange-to-crm', message('m1'));
    await transport.send('exchange-to-crm', message('m2', 'acc-2'));
    const [peeked] = (await transport.client('exchange-to-crm').peekMessages()).peekedMessageItems;
    expect(JSON.parse(Buffer.from(peeked!.messageText, 'base64').toString('utf8'))).toEqual(message('m1'));
    expect(await transport.pendingCount('exchange-to-crm')).toBe(2);
    const seen: { id: string; dequeueCount: number }[] = [];
    consume(transport, {
      handler: async (m, meta) => {
        seen.push({ id: m.dedupeId, dequeueCount: meta.dequeueCount });
      },
    });
    await transport.waitUntilEmpty(['exchange-to-crm'], { timeoutMs: 10_000 });
    expect(seen.map((s) => s.id).sort()).toEqual(['m1', 'm2']);
    expect(seen.every((s) => s.dequeueCount === 1)).toBe(true);
  });

  it('moves a message that fails 5 times to <queue>-poison with the last error', async () => {
    const transport = await freshTransport();
    await transport.send('exchange-to-crm', message('doomed'));
    const tries: number[] = [];
    const poisoned: PoisonRecord[] = [];
    consume(transport, {
      handler: async (_m, meta) => {
        tries.push(meta.dequeueCount);
        throw new Error(`CRM rejected the write (try ${meta.dequeueCount})`);
      },
      onPoison: (record) => {
        poisoned.push(record);
      },
    });
    await waitFor(() => poisoned.length === 1);
    expect(tries).toEqual([1, 2, 3, 4, 5]);
    const [record] = await transport.peekPoison('exchange-to-crm');
    expect(record).toMatchObject({ reason: 'CRM rejected the write (try 5)', dequeueCount: 5 });
    expect(JSON.parse(record!.body)).toEqual(message('doomed'));
    await transport.waitUntilEmpty(['exchange-to-crm'], { timeoutMs: 5_000 });
  });

  it('moves an invalid message to poison at once, without calling the handler', async () => {
    const transport = await freshTransport();
    const raw = transport.client('exchange-to-crm');
    await raw.sendMessage('this is not json');
    await raw.sendMessage(Buffer.from(JSON.stringify({ ...message('x'), v: 2 })).toString('base64'));
    let calls = 0;
    const poisoned: PoisonRecord[] = [];
    consume(transport, {
      handler: async () => {
        calls += 1;
      },
      onPoison: (record) => {
        poisoned.push(record);
      },
    });
    await waitFor(() => poisoned.length === 2);
    expect(calls).toBe(0);
    const reasons = (await transport.peekPoison('exchange-to-crm')).map((r) => r.reason).sort();
    expect(reasons[0]).toMatch(/^Invalid queue message: v: /);
    expect(reasons[1]).toBe('Queue message is not base64-encoded JSON');
    expect(poisoned.every((r) => r.dequeueCount === 1)).toBe(true);
  });

  it('processes a message sent twice with one dedupeId once', async () => {
    const transport = await freshTransport();
    await transport.send('exchange-to-crm', message('same'));
    await transport.send('exchange-to-crm', message('same'));
    let calls = 0;
    consume(transport, {
      handler: async () => {
        calls += 1;
        await sleep(100);
      },
    });
    await transport.waitUntilEmpty(['exchange-to-crm'], { timeoutMs: 10_000 });
    expect(calls).toBe(1);
  });

  it('never overlaps two messages of one session, but runs different sessions concurrently', async () => {
    const transport = await freshTransport();
    for (const [id, session] of [
      ['a1', 'A'],
      ['a2', 'A'],
      ['a3', 'A'],
      ['b1', 'B'],
    ] as const) {
      await transport.send('exchange-to-crm', message(id, session));
    }
    const runs: { id: string; session: string; start: number; end: number }[] = [];
    consume(transport, {
      handler: async (m) => {
        const start = performance.now();
        await sleep(250);
        runs.push({ id: m.dedupeId, session: m.sessionKey, start, end: performance.now() });
      },
    });
    await waitFor(() => runs.length === 4);
    const a = runs.filter((r) => r.session === 'A').sort((x, y) => x.start - y.start);
    for (let i = 1; i < a.length; i += 1) expect(a[i]!.start).toBeGreaterThanOrEqual(a[i - 1]!.end);
    const b = runs.find((r) => r.session === 'B')!;
    expect(a.some((r) => r.start < b.end && b.start < r.end)).toBe(true);
  });

  it('keeps a long-running message invisible, so it is not delivered twice', async () => {
    const transport = await freshTransport();
    await transport.send('exchange-to-crm', message('slow'));
    const calls: number[] = [];
    consume(transport, {
      handler: async (_m, meta) => {
        calls.push(meta.dequeueCount);
        await sleep(2_500); // 2.5 × the visibility timeout
      },
    });
    await waitFor(() => calls.length > 0);
    await transport.waitUntilEmpty(['exchange-to-crm'], { timeoutMs: 10_000 });
    expect(calls).toEqual([1]);
  });

  it('stop() waits for running handlers and loses no message', async () => {
    const transport = await freshTransport();
    const ids = ['s1', 's2', 's3', 'p1', 'p2', 'p3'];
    for (const id of ids) await transport.send('exchange-to-crm', message(id, id.startsWith('s') ? 'S' : id));
    const started: string[] = [];
    const finished: string[] = [];
    const handler = async (m: QueueMessage) => {
      started.push(m.dedupeId);
      await sleep(300);
      finished.push(m.dedupeId);
    };
    const first = consume(transport, { handler, concurrency: 3 });
    await waitFor(() => started.length > 0);
    await first.stop();
    expect(finished.sort()).toEqual([...started].sort());
    expect(finished.length).toBeLessThan(ids.length);
    consume(transport, { handler, concurrency: 3 });
    await transport.waitUntilEmpty(['exchange-to-crm'], { timeoutMs: 15_000 });
    expect(new Set(finished)).toEqual(new Set(ids));
  });

  it('hands messages of one session that wait together to handleBatch, in order', async () => {
    const transport = await freshTransport();
    const ids = ['a1', 'a2', 'a3', 'a4', 'a5'];
    for (const id of ids) await transport.send('exchange-to-crm', message(id, 'A'));
    await transport.send('exchange-to-crm', message('b1', 'B'));
    const batches: string[][] = [];
    const single: string[] = [];
    consume(transport, {
      batchSize: 16,
      maxBatch: 3,
      handler: async (m) => {
        single.push(m.dedupeId);
      },
      handleBatch: async (messages) => {
        batches.push(messages.map((m) => m.dedupeId));
      },
    });
    await transport.waitUntilEmpty(['exchange-to-crm'], { timeoutMs: 10_000 });
    // One receive brings all six: A's five run as batches of at most 3, oldest first; B alone.
    expect(batches).toEqual([
      ['a1', 'a2', 'a3'],
      ['a4', 'a5'],
    ]);
    expect(single).toEqual(['b1']);
  });

  it('retries a failed batch one message at a time, so only the bad message fails', async () => {
    const transport = await freshTransport();
    for (const id of ['ok1', 'bad', 'ok2']) await transport.send('exchange-to-crm', message(id, 'A'));
    const done: string[] = [];
    const poisoned: PoisonRecord[] = [];
    consume(transport, {
      handler: async (m) => {
        if (m.dedupeId === 'bad') throw new Error('the CRM refuses this one');
        done.push(m.dedupeId);
      },
      handleBatch: async () => {
        throw new Error('one of the batch failed');
      },
      onPoison: (record) => {
        poisoned.push(record);
      },
    });
    await waitFor(() => poisoned.length === 1);
    await transport.waitUntilEmpty(['exchange-to-crm'], { timeoutMs: 5_000 });
    expect(done).toEqual(['ok1', 'ok2']);
    expect(poisoned[0]).toMatchObject({ reason: 'the CRM refuses this one', dequeueCount: 5 });
  });

  it('picks up a message sent from this process at once, however long its idle poll', async () => {
    const transport = await freshTransport();
    const seen: number[] = [];
    consume(transport, {
      pollIntervalMs: 60_000,
      handler: async () => {
        seen.push(performance.now());
      },
    });
    await sleep(300); // the consumer has found the queue empty and sleeps (7.5 s at first)
    const sent = performance.now();
    await transport.send('exchange-to-crm', message('wake'));
    await waitFor(() => seen.length === 1, 5_000);
    expect(seen[0]! - sent).toBeLessThan(2_000);
  });

  it('counts pending messages per queue for test helpers', async () => {
    const transport = await freshTransport();
    const service = QueueServiceClient.fromConnectionString(connectionString);
    await transport.send('crm-to-exchange', message('c1'));
    expect(await transport.pendingCount('crm-to-exchange')).toBe(1);
    expect(await transport.pendingCount('exchange-to-crm')).toBe(0);
    await expect(transport.waitUntilEmpty(undefined, { timeoutMs: 200 })).rejects.toThrow(/still hold/);
    await service.getQueueClient(transport.queueName('crm-to-exchange')).clearMessages();
    await transport.waitUntilEmpty(undefined, { timeoutMs: 2_000 });
  });
});
