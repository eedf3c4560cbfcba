import { AppSlots } from './app-slots.js';
import { toSyncError } from './classify-graph-error.js';
import { type BudgetLimits, type Grant, OUTLOOK_LIMITS, RequestBudget } from './request-budget.js';
import { type Backoff, isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry-timing.js';

/**
 * Runs Graph calls per mailbox inside Outlook's limits (see request-budget.ts) and is the one
 * place that retries: on 429/503/504 it holds the whole mailbox back for `Retry-After` (or a
 * jittered backoff), then tries again, a bounded number of times. Callers therefore never see
 * a 429 unless Graph keeps throttling past `maxAttempts` or asks for a wait longer than
 * `maxWaitMs` — then they get a `throttled` SyncError and the queue redelivers later.
 *
 * Waiters are served first come, first served, so a waiting `$batch` is not starved by
 * single requests.
 */
export interface MailboxSchedulerOptions extends Partial<BudgetLimits> {
  /** Attempts per call, the first included. Default 6. */
  maxAttempts?: number;
  /** Backoff when Graph sends no Retry-After. Default 1 s doubling up to 30 s. */
  backoff?: Backoff;
  /** The longest wait honoured in-process. Default 60 s. */
  maxWaitMs?: number;
  /**
   * Requests in flight across all mailboxes of this process (app-slots.ts). Default 4: the one
   * value inside Outlook's concurrency limit under both readings (per app and mailbox, or per
   * app across mailboxes), so one instance never runs into MailboxConcurrency 429s; a single
   * mailbox still gets its full 4. Raise it (GRAPH_APP_CONCURRENCY) where the per-mailbox
   * reading holds for the tenant and many mailboxes sync at once.
   */
  appConcurrency?: number;
  now?: () => number;
  random?: () => number;
}

export interface RunOptions {
  /** Budget units: 1 for a request, the number of inner requests for a `$batch`. */
  units?: number;
  /** Names the call in error messages (route template, never a URL with ids). */
  context?: string;
  /**
   * False for a create: a 503/504 (or no answer) may come after Exchange committed it, so the
   * call is not sent again blindly; only a 429, which Graph never processed, is retried here.
   * The caller looks for what the first attempt made (create-retry.ts). Default true.
   */
  idempotent?: boolean;
}

interface Waiter {
  units: number;
  resolve: (grant: Grant) => void;
}

interface MailboxQueue {
  budget: RequestBudget;
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
}

export const DEFAULT_APP_CONCURRENCY = 4;

/** Subscriptions are per app, not per mailbox; they share this one key. */
export const APP_WIDE = '(app)';

export class MailboxScheduler {
  readonly limits: BudgetLimits;
  private readonly queues = new Map<string, MailboxQueue>();
  private readonly app: AppSlots;
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(options: MailboxSchedulerOptions = {}) {
    this.limits = {
      requestsPerWindow: options.requestsPerWindow ?? OUTLOOK_LIMITS.requestsPerWindow,
      windowMs: options.windowMs ?? OUTLOOK_LIMITS.windowMs,
      concurrency: options.concurrency ?? OUTLOOK_LIMITS.concurrency,
    };
    this.app = new AppSlots(options.appConcurrency ?? DEFAULT_APP_CONCURRENCY);
    this.maxAttempts = options.maxAttempts ?? 6;
    this.backoff = options.backoff ?? { baseMs: 1000, maxMs: 30_000 };
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.now = options.now ?? (() => Date.now());
    this.random = options.random ?? Math.random;
  }

  async run<T>(mailbox: string, call: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    const queue = this.queue(mailbox);
    for (let attempt = 1; ; attempt++) {
      const grant = await this.acquire(queue, options.units ?? 1);
      const appUnits = await this.app.acquire(grant.slots);
      let failure: unknown;
      try {
        return await call();
      } catch (thrown) {
        failure = thrown;
      } finally {
        this.app.release(appUnits);
        this.release(queue, grant);
      }
      const status = statusOf(failure);
      const resend = options.idempotent !== false || status === 429;
      const delay = resend ? this.retryDelay(status, retryAfterOf(failure), attempt) : undefined;
      if (delay === undefined)
        throw toSyncError(failure, options.context, mailbox === APP_WIDE ? 'app' : 'mailbox');
      queue.budget.pauseUntil(this.now() + delay);
    }
  }

  /**
   * The wait before attempt `attempt + 1` of a call that failed with `status`, or undefined
   * when it must not be retried (not retryable, attempts used up, or Graph wants too long).
   */
  retryDelay(status: number, retryAfter: string | null | undefined, attempt: number): number | undefined {
    if (!isRetryableStatus(status) || attempt >= this.maxAttempts) return undefined;
    const asked = parseRetryAfter(retryAfter, this.now());
    if (asked !== undefined && asked > this.maxWaitMs) return undefined;
    return retryDelayMs(attempt, asked, this.backoff, this.random);
  }

  /** Holds back every request of the mailbox, e.g. after a 429 inside a `$batch`. */
  pause(mailbox: string, ms: number): void {
    const queue = this.queue(mailbox);
    queue.budget.pauseUntil(this.now() + ms);
    this.pump(queue);
  }

  /** Requests in flight across all mailboxes, and callers waiting for the app-wide cap. */
  appUsage(): { inUse: number; waiting: number } {
    return this.app.usage();
  }

  /** Current use of a mailbox's budget, for diagnostics and tests. */
  usage(mailbox: string): { units: number; slots: number; waiting: number } {
    const queue = this.queue(mailbox);
    return { ...queue.budget.usage(this.now()), waiting: queue.waiters.length };
  }

  private queue(mailbox: string): MailboxQueue {
    const key = mailbox.toLowerCase();
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { budget: new RequestBudget(this.limits), waiters: [], timer: undefined };
      this.queues.set(key, queue);
    }
    return queue;
  }

  private acquire(queue: MailboxQueue, units: number): Promise<Grant> {
    return new Promise((resolve) => {
      queue.waiters.push({ units, resolve });
      this.pump(queue);
    });
  }

  private release(queue: MailboxQueue, grant: Grant): void {
    queue.budget.release(grant, this.now());
    this.pump(queue);
  }

  /** Admits waiters in order until one must wait; then wakes up when it may go (or on the next release). */
  private pump(queue: MailboxQueue): void {
    clearTimeout(queue.timer);
    queue.timer = undefined;
    for (let head = queue.waiters[0]; head; head = queue.waiters[0]) {
      const admission = queue.budget.tryAcquire(this.now(), head.units);
      if (admission.grant === null) {
        if (admission.waitUntilMs !== null) {
          const wait = Math.max(1, admission.waitUntilMs - this.now());
          queue.timer = setTimeout(() => this.pump(queue), wait);
        }
        return;
      }
      queue.waiters.shift();
      head.resolve(admission.grant);
    }
  }
}

function statusOf(thrown: unknown): number {
  const status = (thrown as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : -1;
}

function retryAfterOf(thrown: unknown): string | null {
  const headers = (thrown as { headers?: unknown } | null)?.headers;
  return headers instanceof Headers ? headers.get('retry-after') : null;
}
