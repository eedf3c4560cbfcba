import type { FaultState } from './faults.js';

/**
 * Delivery of change and lifecycle notifications to subscribers: batched per URL over
 * `delayMs`, POSTed as `{ value: [...] }` with Graph's 3 s timeout, retried with doubling
 * backoff on non-2xx or timeout, then given up (Graph keeps trying for 4 h; tests need
 * bounds). Faults can drop, duplicate, delay or reorder the next notifications.
 *
 * Several subscriptions' notifications for the same URL go in one POST, as Graph batches them
 * ("Receive change notifications through webhooks": the payload is a collection, possibly for
 * different subscriptions). Each change notification can wait a random delivery latency first
 * (`latency`). Notifications that are dropped or whose retries give up are reported through
 * `onLost` with their subscription ids, so the registry can post `missed`.
 */
export interface NotifierOptions {
  delayMs: number;
  attempts: number;
  baseDelayMs: number;
  faults: FaultState;
  log: (line: string) => void;
}

const PUBLISH_TIMEOUT_MS = 3000;

interface Queued {
  item: unknown;
  subscriptionId: string | undefined;
}

export class Notifier {
  private batches = new Map<string, Queued[]>();
  private pending = 0;
  private waiters: (() => void)[] = [];
  private stopped = false;
  latency = { minMs: 0, maxMs: 0 };
  onLost: (subscriptionIds: string[]) => void = () => {};

  constructor(private readonly options: NotifierOptions) {}

  /** `subscriptionId` marks a change notification (lifecycle events are never reported lost). */
  enqueue(url: string, payload: unknown, subscriptionId?: string): void {
    if (this.stopped) return;
    this.pending++;
    const item = { item: payload, subscriptionId };
    const { minMs, maxMs } = this.latency;
    if (subscriptionId !== undefined && maxMs > 0) {
      setTimeout(() => this.batch(url, item), minMs + Math.random() * Math.max(0, maxMs - minMs));
      return;
    }
    this.batch(url, item);
  }

  private batch(url: string, item: Queued): void {
    if (this.stopped) {
      this.settle(1);
      return;
    }
    const batch = this.batches.get(url);
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
    const now: Queued[] = [];
    const reordered: Queued[] = [];
    for (const item of items) {
      if (faults.drop > 0) {
        faults.drop--;
        if (this.options.faults.dropMissed && item.subscriptionId !== undefined)
          this.onLost([item.subscriptionId]);
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

  private async deliver(url: string, items: Queued[]): Promise<void> {
    const body = JSON.stringify({ value: items.map((q) => q.item) });
    let delivered = false;
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
        if (response.ok) {
          delivered = true;
          break;
        }
        this.options.log(`notification to ${url} answered ${response.status} (attempt ${attempt + 1})`);
      } catch (error) {
        this.options.log(`notification to ${url} failed: ${String(error)} (attempt ${attempt + 1})`);
      }
    }
    if (!delivered && !this.stopped) {
      this.onLost(items.flatMap((q) => (q.subscriptionId === undefined ? [] : [q.subscriptionId])));
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
