import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import type { GraphExchangeContacts } from '../../../shared/adapters/graph/exchange-contacts.js';
import { MailboxScheduler } from '../../../shared/adapters/graph/mailbox-scheduler.js';
import { adapterFor, numbered, startGraph } from './support.js';

/** Throttling Graph imposes on its own (injected 429/503 bursts) never reaches the caller. */
let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const MAILBOX = 'storm@contoso.example';
let folderId: string;

beforeAll(async () => {
  const scheduler = new MailboxScheduler({ maxAttempts: 10, backoff: { baseMs: 20, maxMs: 200 } });
  ({ emulator, exchange } = await startGraph({}, { scheduler, pageSize: 100 }));
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: MAILBOX });
  folderId = await exchange.defaultFolderId(MAILBOX);
});

describe('429 and 503 storms', () => {
  it('retries single requests, $batch items and delta pages until they succeed', async () => {
    await emulator.admin.fault({ kind: 'status', status: 429, count: 20, retryAfter: 0 });
    await emulator.admin.fault({ kind: 'status', status: 503, count: 5 });
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, n) => exchange.create(MAILBOX, folderId, numbered(n), `s-${n}`)),
    );
    expect(created).toHaveLength(12);

    // Only the requests inside the $batch match this route; the $batch itself does not.
    await emulator.admin.fault({
      kind: 'status',
      status: 429,
      count: 30,
      retryAfter: 0,
      route: '{f}/contacts',
    });
    const results = await exchange.batchCreate(
      MAILBOX,
      Array.from({ length: 60 }, (_, n) => ({ folderId, fields: numbered(100 + n), linkId: `b-${n}` })),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);

    const log = emulator.admin.requests();
    expect(log.byStatus['429']).toBe(50);
    expect(log.byStatus['503']).toBe(5);
    expect(log.entries.filter((e) => e.batched && e.status === 429)).toHaveLength(30);

    await emulator.admin.fault({ kind: 'status', status: 429, count: 3, retryAfter: 0, route: 'delta' });
    let upserts = 0;
    for await (const page of exchange.delta(MAILBOX, folderId, null)) upserts += page.upserts.length;
    expect(upserts).toBe(72);
    expect(emulator.admin.contacts(MAILBOX)).toHaveLength(72);
  });

  it('waits as long as Retry-After says before trying again', async () => {
    await emulator.admin.fault({ kind: 'status', status: 429, count: 1, retryAfter: 1 });
    const started = Date.now();
    await exchange.create(MAILBOX, folderId, numbered(1), 'l-1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up with `throttled` once the attempts are used up, without partial results', async () => {
    const impatient = new MailboxScheduler({ maxAttempts: 2 });
    const adapter = adapterFor(emulator, { scheduler: impatient });
    await emulator.admin.fault({ kind: 'status', status: 429, count: 2, retryAfter: 0 });
    await expect(adapter.get(MAILBOX, 'AAMkx')).rejects.toMatchObject({ kind: 'throttled', status: 429 });
  });
});
