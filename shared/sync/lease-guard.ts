import { SyncError } from '../errors.js';
import type { Clock, LeaseHandle } from '../ports.js';
import type { SyncDeps } from './deps.js';

/** How long an account's lease lasts unless renewed. */
export const ACCOUNT_LEASE_MS = 5 * 60_000;

/**
 * One writer per account, checked where it matters: before every write. The holder renews its
 * lease once a third of it has passed, so a long job (a full round of a large mailbox, a full
 * sweep) keeps it as long as it makes progress; a holder that was paused past its lease (a
 * frozen process, a long GC, a lost network) finds it taken over at its next write and stops
 * there, before writing anything a second worker may have written meanwhile. Every step between
 * two writes is short (one request), so "fits in the lease" holds for every job; and every job
 * is resumable, because each write is recorded as it happens (links per contact, the pending
 * ledger per chunk, deltaLinks and the CRM cursor last): a redelivered message replays as echoes.
 */
export class HeldLease {
  #expiresAt: number;
  #lost = false;

  constructor(
    private readonly handle: LeaseHandle,
    private readonly key: string,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {
    this.#expiresAt = clock.now().getTime() + ttlMs;
  }

  /** Before a write: renews when due; throws a transient `LeaseLost` when another worker holds it. */
  async check(): Promise<void> {
    if (this.#lost) throw this.lostError();
    const now = this.clock.now().getTime();
    if (now < this.#expiresAt - (this.ttlMs * 2) / 3) return;
    // Renewing also works just after expiry as long as nobody took the lease over: then nobody
    // else can have written meanwhile.
    if (!(await this.handle.renew(this.ttlMs))) {
      this.#lost = true;
      throw this.lostError();
    }
    this.#expiresAt = now + this.ttlMs;
  }

  release(): Promise<void> {
    return this.handle.release();
  }

  private lostError(): SyncError {
    return new SyncError(
      'transient',
      'LeaseLost',
      `the lease ${this.key} was taken over by another worker; this one stops before writing`,
    );
  }
}

// Writes are checked; so are the page reads a long job loops over (CRM pages, delta pages), so a
// long stretch of reading renews the lease too.
const EXCHANGE_WRITES = new Set(['create', 'update', 'delete', 'createMany']);
const CRM_WRITES = new Set(['create', 'update', 'delete', 'list']);
const MIRROR_WRITES = new Set(['put', 'delete', 'appendLog']);
const ACCOUNT_WRITES = new Set(['put']);

/** The engine's ports with every write checked against the lease first. */
export function leaseGuarded(deps: SyncDeps, lease: HeldLease): SyncDeps {
  return {
    ...deps,
    exchange: guard(deps.exchange, EXCHANGE_WRITES, lease),
    crm: guard(deps.crm, CRM_WRITES, lease),
    mirror: guard(deps.mirror, MIRROR_WRITES, lease),
    accounts: guard(deps.accounts, ACCOUNT_WRITES, lease),
  };
}

function guard<T extends object>(port: T, writes: Set<string>, lease: HeldLease): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'delta') return pagesChecked(value.bind(target), lease);
      if (typeof prop !== 'string' || !writes.has(prop)) return value.bind(target);
      return async (...args: unknown[]) => {
        await lease.check();
        return value.apply(target, args);
      };
    },
  });
}

/** A delta round whose every next page is fetched only while the lease is still ours. */
function pagesChecked<A extends unknown[], P>(
  delta: (...args: A) => AsyncIterable<P>,
  lease: HeldLease,
): (...args: A) => AsyncIterable<P> {
  return async function* (...args: A) {
    await lease.check();
    for await (const page of delta(...args)) {
      yield page;
      await lease.check();
    }
  };
}
