import { GraphError } from '@microsoft/microsoft-graph-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MailboxScheduler } from '../../../shared/adapters/graph/mailbox-scheduler.js';
import { SyncError } from '../../../shared/errors.js';

function graphError(status: number, retryAfter?: string): GraphError {
  const error = new GraphError(status, 'throttled');
  error.code = status === 429 ? 'TooManyRequests' : 'ServiceUnavailable';
  if (retryAfter !== undefined) error.headers = new Headers({ 'Retry-After': retryAfter });
  return error;
}

async function settle<T>(promise: Promise<T>): Promise<T | SyncError> {
  return promise.catch((e: unknown) => {
    if (e instanceof SyncError) return e;
    throw e;
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('MailboxScheduler', () => {
  it('keeps at most `concurrency` calls in flight per mailbox, independently per mailbox', async () => {
    const scheduler = new MailboxScheduler({ concurrency: 4, appConcurrency: 8 });
    let inFlight = 0;
    let peak = 0;
    const call = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      return 'ok';
    };
    const runs = [
      ...Array.from({ length: 12 }, () => scheduler.run('a@x', call)),
      ...Array.from({ length: 4 }, () => scheduler.run('b@x', call)),
    ];
    await vi.advanceTimersByTimeAsync(0);
    expect(inFlight).toBe(8);
    await vi.runAllTimersAsync();
    expect(await Promise.all(runs)).toHaveLength(16);
    expect(peak).toBe(8);
    expect(scheduler.usage('a@x').slots).toBe(0);
  });

  it('keeps at most `appConcurrency` calls in flight across mailboxes (default 4)', async () => {
    const scheduler = new MailboxScheduler({ concurrency: 4 });
    let inFlight = 0;
    let peak = 0;
    const call = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      return 'ok';
    };
    const runs = ['a@x', 'b@x', 'c@x'].flatMap((m) =>
      Array.from({ length: 4 }, () => scheduler.run(m, call)),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(inFlight).toBe(4);
    expect(scheduler.appUsage()).toEqual({ inUse: 4, waiting: 8 });
    await vi.runAllTimersAsync();
    expect(await Promise.all(runs)).toHaveLength(12);
    expect(peak).toBe(4);
    expect(scheduler.appUsage()).toEqual({ inUse: 0, waiting: 0 });
  });

  it('paces a burst to the request budget instead of sending it all', async () => {
    const scheduler = new MailboxScheduler({ requestsPerWindow: 3, windowMs: 1000, concurrency: 4 });
    const startedAt: number[] = [];
    const runs = Array.from({ length: 7 }, () =>
      scheduler.run('a@x', async () => {
        startedAt.push(Date.now());
      }),
    );
    await vi.runAllTimersAsync();
    await Promise.all(runs);
    expect(startedAt).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
  });

  it('honours Retry-After on a 429 and the caller never sees it', async () => {
    const scheduler = new MailboxScheduler();
    const attempts: number[] = [];
    const result = scheduler.run('a@x', async () => {
      attempts.push(Date.now());
      if (attempts.length < 3) throw graphError(429, '2');
      return 'done';
    });
    await vi.runAllTimersAsync();
    expect(await result).toBe('done');
    expect(attempts).toEqual([0, 2000, 4000]);
  });

  it('holds back the whole mailbox while Graph asks it to wait', async () => {
    const scheduler = new MailboxScheduler();
    const otherStartedAt: number[] = [];
    let first = true;
    const throttled = scheduler.run('a@x', async () => {
      if (first) {
        first = false;
        throw graphError(503, '5');
      }
    });
    await vi.advanceTimersByTimeAsync(0);
    const other = scheduler.run('a@x', async () => {
      otherStartedAt.push(Date.now());
    });
    const elsewhere = scheduler.run('b@x', async () => Date.now());
    await vi.runAllTimersAsync();
    await throttled;
    await other;
    expect(otherStartedAt).toEqual([5000]);
    expect(await elsewhere).toBe(0);
  });

  it('backs off with jitter when there is no Retry-After, and gives up after maxAttempts', async () => {
    const scheduler = new MailboxScheduler({
      maxAttempts: 3,
      backoff: { baseMs: 100, maxMs: 1000 },
      random: () => 1,
    });
    const attempts: number[] = [];
    const result = settle(
      scheduler.run(
        'a@x',
        async () => {
          attempts.push(Date.now());
          throw graphError(429);
        },
        { context: 'GET /users/{m}/contacts' },
      ),
    );
    await vi.runAllTimersAsync();
    const error = await result;
    expect(attempts).toEqual([0, 100, 300]);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ kind: 'throttled', status: 429 });
    expect((error as SyncError).message).toContain('GET /users/{m}/contacts');
  });

  it('does not wait in-process when Graph asks for longer than maxWaitMs', async () => {
    const scheduler = new MailboxScheduler({ maxWaitMs: 10_000 });
    let calls = 0;
    const result = settle(
      scheduler.run('a@x', async () => {
        calls++;
        throw graphError(429, '600');
      }),
    );
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ kind: 'throttled' });
    expect(calls).toBe(1);
  });

  it('does not retry what retrying cannot fix', async () => {
    const scheduler = new MailboxScheduler();
    let calls = 0;
    const notFound = new GraphError(404, 'not found');
    notFound.code = 'ErrorItemNotFound';
    const result = settle(
      scheduler.run('a@x', async () => {
        calls++;
        throw notFound;
      }),
    );
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ kind: 'notFound', code: 'ErrorItemNotFound' });
    expect(calls).toBe(1);
  });
});
