import type { ThrottleStats } from './throttle.js';

/**
 * What reached the emulator, by route template (`GET /users/{m}/contacts`), so tests can
 * count calls without parsing URLs, plus the throttling picture.
 */
export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  /** `METHOD /template`, or `METHOD <unmatched>` for unknown routes. */
  route: string;
  status: number;
  mailbox?: string;
  batched: boolean;
}

export interface RequestLogSummary {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  throttling: {
    peakConcurrency: number;
    peakPerWindow: number;
    throttled429: number;
    perKey: ThrottleStats[];
  };
  entries: LoggedRequest[];
}

const MAX_ENTRIES = 5000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private byRoute = new Map<string, number>();
  private byStatus = new Map<string, number>();
  private total = 0;

  record(entry: LoggedRequest): void {
    this.total++;
    this.byRoute.set(entry.route, (this.byRoute.get(entry.route) ?? 0) + 1);
    this.byStatus.set(String(entry.status), (this.byStatus.get(String(entry.status)) ?? 0) + 1);
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
  }

  clear(): void {
    this.entries = [];
    this.byRoute.clear();
    this.byStatus.clear();
    this.total = 0;
  }

  summary(throttle: ThrottleStats[]): RequestLogSummary {
    return {
      total: this.total,
      byRoute: Object.fromEntries(this.byRoute),
      byStatus: Object.fromEntries(this.byStatus),
      throttling: {
        peakConcurrency: Math.max(0, ...throttle.map((s) => s.peakConcurrency)),
        peakPerWindow: Math.max(0, ...throttle.map((s) => s.peakPerWindow)),
        throttled429: this.byStatus.get('429') ?? 0,
        perKey: throttle,
      },
      entries: [...this.entries],
    };
  }
}
