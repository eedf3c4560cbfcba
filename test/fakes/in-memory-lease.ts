import type { Clock, Lease, LeaseHandle } from '../../shared/ports.js';

/** The Lease port in memory, with TableLease's semantics: expiry by the given clock, safe release and renewal. */
export class InMemoryLease implements Lease {
  private readonly held = new Map<string, { token: symbol; expiresAt: number }>();

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  async acquire(key: string, ttlMs: number): Promise<LeaseHandle | null> {
    const now = this.clock.now().getTime();
    const current = this.held.get(key);
    if (current !== undefined && current.expiresAt > now) return null;
    const token = Symbol(key);
    this.held.set(key, { token, expiresAt: now + ttlMs });
    return {
      // Ours while nobody took it over, even just after expiry (TableLease's replace with our ETag).
      renew: async (ms) => {
        const mine = this.held.get(key);
        if (mine?.token !== token) return false;
        mine.expiresAt = this.clock.now().getTime() + ms;
        return true;
      },
      release: async () => {
        if (this.held.get(key)?.token === token) this.held.delete(key);
      },
    };
  }
}
