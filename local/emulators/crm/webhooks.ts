import { randomUUID } from 'node:crypto';
import type { CrmEvent } from '../../../shared/contact/crm-contact.js';
import { DeliveryLog, type DeliveryRecord, deliverOnce, type Webhook } from './deliver.js';
import type { Faults } from './faults.js';
import type { ContactChange } from './store.js';

/**
 * Delivers contact events to every registered webhook, at least once. Each webhook has its
 * own FIFO queue with one delivery in flight; a failed delivery goes back to the end of the
 * queue after the next retry delay (so later events may overtake it, as with real CRMs)
 * and is given up after the last delay. Event faults (drop, duplicate, reorder) are applied
 * when an event is emitted.
 */

interface Delivery {
  event: CrmEvent;
  body: string;
  attempt: number;
  generation: number;
}

interface Target {
  webhook: Webhook;
  queue: Delivery[];
  busy: boolean;
}

export interface DispatcherOptions {
  clock: () => Date;
  faults: Faults;
  retryDelaysMs: readonly number[];
  /** How long reordered events are held when fewer than `count` events follow. */
  reorderWindowMs: number;
  log: (line: string) => void;
}

export class WebhookDispatcher {
  private readonly targets = new Map<string, Target>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private held: CrmEvent[] = [];
  private holdTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private generation = 0;
  private readonly attempts = new DeliveryLog();

  constructor(private readonly options: DispatcherOptions) {}

  addWebhook(webhook: Webhook): void {
    const existing = this.targets.get(webhook.url);
    if (existing) existing.webhook = { ...webhook };
    else this.targets.set(webhook.url, { webhook: { ...webhook }, queue: [], busy: false });
  }

  removeWebhooks(): void {
    this.targets.clear();
    this.settle();
  }

  webhookUrls(): string[] {
    return [...this.targets.keys()];
  }

  deliveries(): DeliveryRecord[] {
    return this.attempts.list();
  }

  emit(change: ContactChange): void {
    const event: CrmEvent = { eventId: randomUUID(), ...change };
    const { faults } = this.options;
    if (faults.takeEventFault('dropEvents')) {
      this.options.log(`dropped event ${event.eventId} (fault)`);
      return;
    }
    const copies = faults.takeEventFault('duplicateEvents') ? [event, event] : [event];
    if (faults.takeEventFault('reorderEvents')) {
      this.held.push(...copies);
      if (faults.remaining('reorderEvents') === 0) this.releaseHeld();
      else this.holdTimer ??= setTimeout(() => this.releaseHeld(), this.options.reorderWindowMs);
      return;
    }
    for (const copy of copies) this.enqueue(copy);
  }

  /** Resolves once nothing is queued, in flight, waiting for a retry, or held back. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets every pending delivery (webhooks stay registered). */
  reset(): void {
    this.generation += 1;
    for (const target of this.targets.values()) target.queue = [];
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.held = [];
    this.attempts.clear();
    this.settle();
  }

  private releaseHeld(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const held = this.held.reverse();
    this.held = [];
    for (const event of held) this.enqueue(event);
    this.settle();
  }

  private enqueue(event: CrmEvent): void {
    const body = JSON.stringify(event);
    for (const target of this.targets.values()) {
      target.queue.push({ event, body, attempt: 1, generation: this.generation });
      this.pump(target);
    }
  }

  private pump(target: Target): void {
    const delivery = target.busy ? undefined : target.queue.shift();
    if (!delivery) return;
    target.busy = true;
    void deliverOnce(target.webhook, delivery.body, this.options.clock()).then((outcome) => {
      target.busy = false;
      this.attempts.add({
        eventId: delivery.event.eventId,
        type: delivery.event.type,
        url: target.webhook.url,
        attempt: delivery.attempt,
        outcome: outcome.ok ? `ok ${outcome.detail}` : outcome.detail,
      });
      const current =
        this.targets.get(target.webhook.url) === target && delivery.generation === this.generation;
      if (!outcome.ok && current) this.scheduleRetry(target, delivery);
      this.pump(target);
      this.settle();
    });
  }

  private scheduleRetry(target: Target, delivery: Delivery): void {
    const delay = this.options.retryDelaysMs[delivery.attempt - 1];
    if (delay === undefined) {
      this.options.log(`gave up on event ${delivery.event.eventId} to ${target.webhook.url}`);
      return;
    }
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      target.queue.push({ ...delivery, attempt: delivery.attempt + 1 });
      this.pump(target);
    }, delay);
    this.retryTimers.add(timer);
  }

  private isIdle(): boolean {
    if (this.held.length > 0 || this.retryTimers.size > 0) return false;
    return [...this.targets.values()].every((target) => !target.busy && target.queue.length === 0);
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
