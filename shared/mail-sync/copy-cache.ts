import { randomBytes } from 'node:crypto';
import type { KnownCopy, MailStore, UnlinkedCopy } from './ports.js';

/**
 * The account's known and unlinked copies, kept in the process between mail rounds, so a
 * round for one new mail does not read the account's whole list from the mail table first
 * (3,334 + 6,666 rows for the benchmark's mailbox: most of a notification's latency).
 *
 * Correct with several workers because only the holder of the lease `mail:<id>` writes an
 * account's copies, and it stamps the account row first: every round, before it reads or
 * writes a copy, saves a fresh `copiesStamp` in `Account.mail` (mail-round.ts). A process
 * uses its cached lists only when the row still carries the stamp it wrote itself, that is
 * when no other worker has run a round of the account since; otherwise it reads them again.
 * A round that fails drops the account's entry: its lists may be half-way through a write.
 *
 * Bounded: at most `maxCopies` copies over all accounts, the least recently used account
 * leaving first (an account above the bound alone is not kept).
 */
export interface CachedCopies {
  known: Map<string, KnownCopy>;
  unlinked: Map<string, UnlinkedCopy>;
}

interface Entry extends CachedCopies {
  stamp: string;
}

const DEFAULT_MAX_COPIES = 200_000;

export class MailCopyCache {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly maxCopies = DEFAULT_MAX_COPIES) {}

  /** A new stamp for a round; saved in the account row before `load`. */
  static newStamp(): string {
    return randomBytes(12).toString('base64url');
  }

  /**
   * The lists as they are now: from the cache when `previousStamp` (the row's stamp before
   * this round wrote its own) is the one this process left, else from the store. Either way
   * the entry is kept under `stamp` afterwards; the caller changes the maps in step with
   * every write it makes to the store.
   */
  async load(
    store: MailStore,
    accountId: string,
    previousStamp: string | null | undefined,
    stamp: string,
  ): Promise<CachedCopies> {
    const cached = this.#entries.get(accountId);
    this.#entries.delete(accountId);
    let entry: Entry;
    if (cached && previousStamp && cached.stamp === previousStamp) {
      entry = { ...cached, stamp };
    } else {
      const known = await store.knownCopies(accountId);
      const unlinked = new Map<string, UnlinkedCopy>();
      for await (const copy of store.unlinked(accountId)) unlinked.set(copy.messageId, copy);
      entry = { known, unlinked, stamp };
    }
    this.#entries.set(accountId, entry); // most recently used last
    this.#evict();
    return entry;
  }

  /** The round failed (or lost its lease): what it holds may differ from the store. */
  drop(accountId: string): void {
    this.#entries.delete(accountId);
  }

  /** Copies held, for tests and the benchmark. */
  size(): number {
    let n = 0;
    for (const entry of this.#entries.values()) n += entry.known.size + entry.unlinked.size;
    return n;
  }

  #evict(): void {
    let total = this.size();
    for (const [accountId, entry] of this.#entries) {
      if (total <= this.maxCopies) return;
      total -= entry.known.size + entry.unlinked.size;
      this.#entries.delete(accountId);
    }
  }
}

/** One cache per mail store (so every runtime, and every test's fresh store, has its own). */
const caches = new WeakMap<MailStore, MailCopyCache>();

export function copyCacheOf(store: MailStore): MailCopyCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new MailCopyCache();
    caches.set(store, cache);
  }
  return cache;
}
