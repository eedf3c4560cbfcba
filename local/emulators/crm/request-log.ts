/**
 * What the emulator was asked, so tests can assert on traffic (e.g. "two GETs, no PATCH").
 * Counts are keyed by "<METHOD> <route template>" and kept apart for the API and the admin API.
 */

export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  route: string;
  status: number;
  admin: boolean;
}

export interface RequestLogSummary {
  api: { total: number; counts: Record<string, number> };
  admin: { total: number; counts: Record<string, number> };
  /** The most recent requests, oldest first (at most 1000). */
  entries: LoggedRequest[];
}

const MAX_ENTRIES = 1000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private counts = { api: new Map<string, number>(), admin: new Map<string, number>() };

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
    const counts = entry.admin ? this.counts.admin : this.counts.api;
    const key = `${entry.method} ${entry.route}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  clear(): void {
    this.entries = [];
    this.counts = { api: new Map(), admin: new Map() };
  }

  summary(): RequestLogSummary {
    const side = (counts: Map<string, number>) => ({
      total: [...counts.values()].reduce((sum, count) => sum + count, 0),
      counts: Object.fromEntries(counts),
    });
    return { api: side(this.counts.api), admin: side(this.counts.admin), entries: [...this.entries] };
  }
}
