import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import { MailboxScheduler } from '../../../shared/adapters/graph/mailbox-scheduler.js';
import { retryDelayMs } from '../../../shared/adapters/graph/retry-timing.js';
import { adapterFor, numbered, startGraph } from './support.js';

/**
 * Throttling as Outlook does it, not as the docs promise it: the 4-concurrent limit per app and
 * mailbox ("Outlook service limits", learn.microsoft.com/graph/throttling-limits) or per app
 * across mailboxes (as Microsoft engineers describe it; the emulator's `throttle` fault
 * `scope`), 429s without Retry-After or with a constant `1`, 503/504 without it.
 */
let emulator: RunningGraphEmulator;
const MAILBOXES = ['m1@contoso.example', 'm2@contoso.example', 'm3@contoso.example'];
const fast = { maxAttempts: 30, backoff: { baseMs: 10, maxMs: 100 } };

beforeAll(async () => {
  ({ emulator } = await startGraph());
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  for (const mail of MAILBOXES) emulator.admin.createMailbox({ mail });
});

async function pushEverywhere(scheduler: MailboxScheduler, perMailbox: number): Promise<void> {
  const exchange = adapterFor(emulator, { scheduler });
  await Promise.all(
    MAILBOXES.map(async (mailbox, m) => {
      const folderId = await exchange.defaultFolderId(mailbox);
      const made = await Promise.all(
        Array.from({ length: perMailbox }, (_, n) =>
          exchange.create(mailbox, folderId, numbered(m * 1000 + n), `l-${m}-${n}`),
        ),
      );
      expect(made).toHaveLength(perMailbox);
      const batched = await exchange.batchUpdate(
        mailbox,
        made.map((c) => ({ id: c.id, fields: { jobTitle: 'Makler' } })),
      );
      expect(batched.filter((r) => !r.ok)).toEqual([]);
    }),
  );
  for (const mailbox of MAILBOXES) expect(emulator.admin.contacts(mailbox)).toHaveLength(perMailbox);
}

describe('the 4-concurrent limit, per mailbox or per app', () => {
  it('stays inside an app-wide limit of 4 across mailboxes by default: no 429', async () => {
    await emulator.admin.fault({ kind: 'throttle', concurrency: 4, scope: 'app' });
    await emulator.admin.fault({ kind: 'latency', ms: 15 }); // so requests overlap
    await pushEverywhere(new MailboxScheduler(fast), 12);
    const log = emulator.admin.requests();
    expect(log.byStatus['429'] ?? 0).toBe(0);
    expect(log.throttling.peakConcurrency).toBeLessThanOrEqual(4);
  });

  it('control: with a wider app cap the app-wide limit answers 429s, and nothing is lost', async () => {
    await emulator.admin.fault({ kind: 'throttle', concurrency: 4, scope: 'app' });
    await emulator.admin.fault({ kind: 'latency', ms: 15 });
    await pushEverywhere(new MailboxScheduler({ ...fast, appConcurrency: 12 }), 12);
    expect(emulator.admin.requests().byStatus['429'] ?? 0).toBeGreaterThan(0);
  });
});

describe('Retry-After as it comes', () => {
  it.each(['missing', 'one'] as const)(
    '429s with Retry-After %s: backs off and gets through',
    async (mode) => {
      await emulator.admin.fault({ kind: 'throttle', concurrency: 1, retryAfter: mode });
      await pushEverywhere(new MailboxScheduler({ ...fast, appConcurrency: 12 }), 6);
      expect(emulator.admin.requests().byStatus['429'] ?? 0).toBeGreaterThan(0);
    },
  );

  it('503 and 504 without Retry-After: backs off and gets through', async () => {
    await emulator.admin.fault({ kind: 'status', status: 503, count: 3 });
    await emulator.admin.fault({ kind: 'status', status: 504, count: 3 });
    await pushEverywhere(new MailboxScheduler(fast), 4);
  });

  it('a constant Retry-After of 1 s does not cap the wait: the backoff grows past it', () => {
    const backoff = { baseMs: 1000, maxMs: 30_000 };
    const waits = [1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, 1000, backoff, () => 1));
    expect(waits).toEqual([1000, 1000, 2000, 4000, 8000]);
    expect(retryDelayMs(1, undefined, backoff, () => 0)).toBe(500);
  });
});

describe('$batch steps', () => {
  it('resends only the steps that were throttled, never one that succeeded', async () => {
    const exchange = adapterFor(emulator, { scheduler: new MailboxScheduler(fast) });
    const [mailbox] = MAILBOXES as [string];
    const folderId = await exchange.defaultFolderId(mailbox);
    await emulator.admin.fault({
      kind: 'status',
      status: 429,
      count: 3,
      route: '{f}/contacts',
      retryAfter: 0,
    });
    await emulator.admin.fault({ kind: 'status', status: 503, count: 2, route: '{f}/contacts' });
    emulator.admin.clearRequests();
    const results = await exchange.batchCreate(
      mailbox,
      Array.from({ length: 10 }, (_, n) => ({ folderId, fields: numbered(n), linkId: `b-${n}` })),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const steps = emulator.admin.requests().entries.filter((e) => e.batched && e.method === 'POST');
    expect(steps.filter((e) => e.status === 201)).toHaveLength(10);
    expect(steps).toHaveLength(15);
    expect(emulator.admin.contacts(mailbox)).toHaveLength(10);
  });
});
