import type { FaultState } from './faults.js';

/**
 * Delivery of change and lifecycle notifications to subscribers: batched per URL over
 * `delayMs`, POSTed as `{ value: [...] }` with Graph's 3 s timeout, retried with doubling
 * backoff on non-2xx or timeout, then given up (Graph keeps trying for 4 h; tests need
 * bounds). Faults can drop, duplicate, delay or reorder the next notifications.
 */
export interface NotifierOptions {
  delayMs: number;
  attempts: number;
  baseDelayMs: number;
  faults: FaultState;
  log: (line: string) => void;
}

const PUBLISH_TIMEOUT_MS = 3000;

export class Notifier {
  private batches = new Map<string, unknown[]>();
  private pending = 0;
  private waiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly options: NotifierOptions) {}

  enqueue(url: string, item: unknown): void {
    if (this.stopped) return;
    const batch = this.batches.get(url);
    this.pending++;
    if (batch) {
      batch.push(item);
      return;
    }
    this.batches.set(url, [item]);
    setTimeout(() => this.flushUrl(url), this.options.delayMs);
  }

  /** Resolves when nothing is waiting or being delivered. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
  }

  private flushUrl(url: string): void {
    const items = this.batches.get(url) ?? [];
    this.batches.delete(url);
    const faults = this.options.faults.notifications;
    const now: unknown[] = [];
    const reordered: unknown[] = [];
    for (const item of items) {
      if (faults.drop > 0) {
        faults.drop--;
        this.settle(1);
      } else if (faults.delay.count > 0) {
        faults.delay.count--;
        setTimeout(() => void this.deliver(url, [item]), faults.delay.ms);
      } else if (faults.reorder > 0) {
        faults.reorder--;
        reordered.unshift(item);
      } else if (faults.duplicate > 0) {
        faults.duplicate--;
        this.pending++;
        now.push(item);
        setTimeout(() => void this.deliver(url, [item]), 1);
      } else {
        now.push(item);
      }
    }
    if (now.length > 0) void this.deliver(url, now);
    // Reordered items arrive one per POST, last change first.
    for (const item of reordered) void this.deliver(url, [item]);
  }

  private async deliver(url: string, items: unknown[]): Promise<void> {
    const body = JSON.stringify({ value: items });
    for (let attempt = 0; attempt < this.options.attempts && !this.stopped; attempt++) {
      if (attempt > 0) await sleep(this.options.baseDelayMs * 2 ** (attempt - 1));
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body,
          signal: AbortSignal.timeout(PUBLISH_TIMEOUT_MS),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) break;
        this.options.log(`notification to ${url} answered ${response.status} (attempt ${attempt + 1})`);
      } catch (error) {
        this.options.log(`notification to ${url} failed: ${String(error)} (attempt ${attempt + 1})`);
      }
    }
    this.settle(items.length);
  }

  private settle(count: number): void {
    this.pending -= count;
    if (this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
