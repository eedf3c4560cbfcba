import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import type { GraphExchangeContacts } from '../../../shared/adapters/graph/exchange-contacts.js';
import { adapterFor, numbered, startGraph } from './support.js';

/**
 * The acceptance test of issue 3: with Outlook's limits scaled down in the emulator and the
 * adapter configured to the same budget, a bulk push and a delta sync over 2,000 contacts
 * finish without a single 429, and the emulator's own accounting shows the per-mailbox budget
 * and the 4-request concurrency were never exceeded.
 *
 * Scale: 100 requests per second instead of 10,000 per 10 minutes (the emulator counts every
 * request inside a `$batch` against the budget, as Outlook does, and so does the adapter).
 * 2,000 creates then take about 20 s: fast enough for the suite, slow enough that an unpaced
 * client would run into the limit many times over.
 */
const LIMITS = { requestsPerWindow: 100, windowMs: 1000, concurrency: 4 };
const MAILBOX = 'bulk@contoso.example';
const SEEDED = 1500;
const PUSHED = 500;

let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph(
    { throttle: LIMITS, latencyMs: 2 },
    { budget: LIMITS, pageSize: 1000 },
  ));
  emulator.admin.createMailbox({ mail: MAILBOX });
});
afterAll(() => emulator.stop());

describe('bulk push and delta inside the mailbox budget', () => {
  it('creates 2,000 contacts and syncs them by delta with no 429 and no limit exceeded', {
    timeout: 60_000,
  }, async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const item = (n: number) => ({ folderId, fields: numbered(n), linkId: `link-${n}` });

    // The first 1,500 arrive as one bulk push through $batch.
    const seeded = await exchange.batchCreate(
      MAILBOX,
      Array.from({ length: SEEDED }, (_, n) => item(n)),
    );
    expect(seeded.filter((r) => !r.ok)).toEqual([]);

    // The 500 under test: 400 in batches and 100 single creates, all started at once.
    const batched = exchange.batchCreate(
      MAILBOX,
      Array.from({ length: 400 }, (_, n) => item(SEEDED + n)),
    );
    const singles = Array.from({ length: PUSHED - 400 }, (_, n) => {
      const { fields, linkId } = item(SEEDED + 400 + n);
      return exchange.create(MAILBOX, folderId, fields, linkId);
    });
    const [batchResults, singleResults] = await Promise.all([batched, Promise.all(singles)]);
    expect(batchResults.filter((r) => !r.ok)).toEqual([]);
    expect(singleResults).toHaveLength(PUSHED - 400);

    const seen = new Set<string>();
    let pages = 0;
    for await (const page of exchange.delta(MAILBOX, folderId, null)) {
      pages++;
      for (const contact of page.upserts) seen.add(contact.id);
    }
    expect(seen.size).toBe(SEEDED + PUSHED);
    expect(pages).toBe(2);

    const log = emulator.admin.requests();
    expect(log.byStatus['429'] ?? 0).toBe(0);
    expect(log.throttling.throttled429).toBe(0);
    expect(log.throttling.peakConcurrency).toBeLessThanOrEqual(LIMITS.concurrency);
    expect(log.throttling.peakPerWindow).toBeLessThanOrEqual(LIMITS.requestsPerWindow);
    // The budget was really the limit (not trivially far away): a window was filled to the brim.
    expect(log.throttling.peakPerWindow).toBeGreaterThanOrEqual(LIMITS.requestsPerWindow - 20);
    const perKey = log.throttling.perKey.find((k) =>
      k.key.endsWith(emulator.admin.mailboxes()[0]?.id ?? '-'),
    );
    expect(perKey?.admitted).toBeGreaterThanOrEqual(SEEDED + PUSHED + pages);
  });

  it('control: an adapter whose budget does not match the mailbox runs into 429s (and still succeeds)', async () => {
    const other = 'control@contoso.example';
    emulator.admin.createMailbox({ mail: other });
    emulator.admin.clearRequests();
    const unpaced = adapterFor(emulator, { budget: { ...LIMITS, requestsPerWindow: 10_000 } });
    const folderId = await unpaced.defaultFolderId(other);
    const items = Array.from({ length: 300 }, (_, n) => ({
      folderId,
      fields: numbered(n),
      linkId: `c-${n}`,
    }));
    const results = await unpaced.batchCreate(other, items);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(emulator.admin.requests().throttling.throttled429).toBeGreaterThan(0);
  });
});
