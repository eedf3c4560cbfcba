import type { Account, PendingCreate } from '../accounts/account.js';
import { isSyncError, SyncError } from '../errors.js';
import type { Stored } from '../ports.js';
import type { SyncDeps } from './deps.js';

/**
 * The account a worker is syncing, kept fresh: every change is a read-modify-write with the
 * ETag, re-applied on a conflict (the accounts API may write the same row meanwhile).
 */
export class AccountSession {
  #stored: Stored<Account>;
  readonly #deps: SyncDeps;

  constructor(deps: SyncDeps, stored: Stored<Account>) {
    this.#deps = deps;
    this.#stored = stored;
  }

  get account(): Account {
    return this.#stored.value;
  }

  get mailbox(): string {
    return this.#stored.value.userId;
  }

  async update(mutate: (account: Account) => Account): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = mutate(this.#stored.value);
      try {
        const etag = await this.#deps.accounts.put(next, this.#stored.etag);
        this.#stored = { value: next, etag };
        return;
      } catch (error) {
        if (!isSyncError(error, 'conflict')) throw error;
        const fresh = await this.#deps.accounts.get(this.#stored.value.id);
        if (!fresh)
          throw new SyncError(
            'notFound',
            'AccountDeleted',
            `account ${this.#stored.value.id} was deleted while syncing`,
          );
        this.#stored = fresh;
      }
    }
    throw new SyncError(
      'transient',
      'AccountContention',
      `account ${this.#stored.value.id} kept changing; retry later`,
    );
  }

  beginCreates(creates: PendingCreate[]): Promise<void> {
    if (creates.length === 0) return Promise.resolve();
    return this.update((a) => ({
      ...a,
      pendingCreates: [
        ...a.pendingCreates.filter((p) => !creates.some((c) => c.linkId === p.linkId)),
        ...creates,
      ],
    }));
  }

  endCreates(linkIds: string[]): Promise<void> {
    if (linkIds.length === 0) return Promise.resolve();
    const done = new Set(linkIds);
    return this.update((a) => ({
      ...a,
      pendingCreates: a.pendingCreates.filter((p) => !done.has(p.linkId)),
    }));
  }
}
