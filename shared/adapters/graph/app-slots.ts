/**
 * An app-wide cap on Graph requests in flight in this process, across all mailboxes.
 * Microsoft's page says Outlook's 4-concurrent limit is per app *and mailbox*
 * (learn.microsoft.com/graph/throttling-limits, "Outlook service limits"), while answers by its
 * engineers describe it per app across mailboxes; the Graph emulator can do either (`throttle`
 * fault, `scope`). The per-mailbox budget (request-budget.ts) covers the first reading; this cap
 * the second. FIFO, so a waiting `$batch` is not starved by single requests.
 */
export class AppSlots {
  private inUse = 0;
  private readonly waiters: { units: number; resolve: () => void }[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError('app concurrency must be a positive integer');
  }

  /** Takes `units` slots (capped at the limit, so a `$batch` never waits forever); returns how many. */
  async acquire(units: number): Promise<number> {
    const wanted = Math.max(1, Math.min(units, this.limit));
    if (this.waiters.length === 0 && this.inUse + wanted <= this.limit) {
      this.inUse += wanted;
      return wanted;
    }
    await new Promise<void>((resolve) => this.waiters.push({ units: wanted, resolve }));
    return wanted;
  }

  release(units: number): void {
    this.inUse -= units;
    for (let head = this.waiters[0]; head && this.inUse + head.units <= this.limit; head = this.waiters[0]) {
      this.waiters.shift();
      this.inUse += head.units;
      head.resolve();
    }
  }

  usage(): { inUse: number; waiting: number } {
    return { inUse: this.inUse, waiting: this.waiters.length };
  }
}
