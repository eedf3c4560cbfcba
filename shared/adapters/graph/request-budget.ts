/**
 * Outlook's limits for one app and mailbox, kept on the client side so a bulk push paces
 * itself instead of running into 429s: at most `concurrency` requests in flight and at most
 * `requestsPerWindow` requests in any `windowMs` (learn.microsoft.com/graph/throttling-limits,
 * "Outlook service limits": 4 concurrent, 10,000 per 10 minutes). Pure: time comes in.
 *
 * Why a sliding window and not a classic token bucket: a bucket of N tokens refilling N per
 * window lets 2N requests into one server window (a full bucket spent at its end, plus the
 * refill). Here each request occupies its share of the budget from the moment it is sent
 * until `windowMs` after its response arrived. The server counts a request when it arrives,
 * which is between those two instants, so whatever the server's window alignment and the
 * network delay, no server window can see more than N of our requests.
 *
 * A `$batch` costs one unit per inner request (Outlook throttles them individually) and
 * holds up to `concurrency` slots, since Graph may run up to 4 of its requests in parallel.
 */
export interface BudgetLimits {
  requestsPerWindow: number;
  windowMs: number;
  concurrency: number;
}

export interface Grant {
  readonly units: number;
  readonly slots: number;
  /** When the response arrived; null while in flight. */
  endedAtMs: number | null;
}

export type Admission = { grant: Grant } | { grant: null; waitUntilMs: number | null };

export const OUTLOOK_LIMITS: BudgetLimits = { requestsPerWindow: 10_000, windowMs: 600_000, concurrency: 4 };

export class RequestBudget {
  private grants: Grant[] = [];
  private pausedUntilMs = 0;

  constructor(readonly limits: BudgetLimits) {
    if (limits.requestsPerWindow < 1 || limits.concurrency < 1 || limits.windowMs < 0) {
      throw new RangeError('request budget limits must be positive');
    }
  }

  /** Units are capped at the whole budget, so an oversized request waits for an empty window instead of forever. */
  cost(units: number): { units: number; slots: number } {
    const capped = Math.max(1, Math.min(Math.ceil(units), this.limits.requestsPerWindow));
    return { units: capped, slots: Math.min(capped, this.limits.concurrency) };
  }

  /**
   * A grant, or when to ask again: an instant, or null for "when a request in flight ends".
   */
  tryAcquire(nowMs: number, units = 1): Admission {
    this.forget(nowMs);
    if (nowMs < this.pausedUntilMs) return { grant: null, waitUntilMs: this.pausedUntilMs };
    const cost = this.cost(units);
    const inFlight = this.grants.filter((g) => g.endedAtMs === null);
    if (sum(inFlight, 'slots') + cost.slots > this.limits.concurrency)
      return { grant: null, waitUntilMs: null };
    const excess = sum(this.grants, 'units') + cost.units - this.limits.requestsPerWindow;
    if (excess > 0) return { grant: null, waitUntilMs: this.freedAt(excess) };
    const grant: Grant = { ...cost, endedAtMs: null };
    this.grants.push(grant);
    return { grant };
  }

  release(grant: Grant, nowMs: number): void {
    if (grant.endedAtMs === null) grant.endedAtMs = nowMs;
  }

  /** Graph asked us to wait (Retry-After): nothing starts for this mailbox before `untilMs`. */
  pauseUntil(untilMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, untilMs);
  }

  /** Units counted in the window now: for tests and diagnostics. */
  usage(nowMs: number): { units: number; slots: number } {
    this.forget(nowMs);
    const inFlight = this.grants.filter((g) => g.endedAtMs === null);
    return { units: sum(this.grants, 'units'), slots: sum(inFlight, 'slots') };
  }

  /** True when nothing is in flight or counted, so the owner may drop this budget. */
  idle(nowMs: number): boolean {
    this.forget(nowMs);
    return this.grants.length === 0 && nowMs >= this.pausedUntilMs;
  }

  private forget(nowMs: number): void {
    const { windowMs } = this.limits;
    this.grants = this.grants.filter((g) => g.endedAtMs === null || g.endedAtMs + windowMs > nowMs);
  }

  /** When enough finished requests leave the window to free `excess` units; null if requests in flight must end first. */
  private freedAt(excess: number): number | null {
    const ended = this.grants
      .filter((g): g is Grant & { endedAtMs: number } => g.endedAtMs !== null)
      .sort((a, b) => a.endedAtMs - b.endedAtMs);
    let freed = 0;
    for (const grant of ended) {
      freed += grant.units;
      if (freed >= excess) return grant.endedAtMs + this.limits.windowMs;
    }
    return null;
  }
}

function sum(grants: Grant[], key: 'units' | 'slots'): number {
  return grants.reduce((total, g) => total + g[key], 0);
}
