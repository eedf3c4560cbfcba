import type { Account } from '../../shared/accounts/account.js';
import { SyncError } from '../../shared/errors.js';
import type { Accounts, Etag, Stored } from '../../shared/ports.js';
import { copy, nextEtag } from './etags.js';
import { FaultHooks } from './fault-hooks.js';

const conflict = (message: string) => new SyncError('conflict', 'AccountChanged', message, { status: 412 });

/** The Accounts port in memory, with TableAccounts' semantics (accounts.contract.ts runs on both). */
export class InMemoryAccounts implements Accounts {
  /** `crashAfterWrite('put')`: the row is written, then the caller sees a lost connection. */
  readonly hooks = new FaultHooks<'put'>();
  private readonly rows = new Map<string, Stored<Account>>();

  async get(id: string): Promise<Stored<Account> | null> {
    const row = this.rows.get(id);
    return row === undefined ? null : copy(row);
  }

  async *list(): AsyncIterable<Account> {
    for (const row of [...this.rows.values()]) yield copy(row.value);
  }

  async findBySubscriptionId(subscriptionId: string): Promise<Account | null> {
    for (const row of this.rows.values()) {
      if (row.value.subscription?.id === subscriptionId) return copy(row.value);
    }
    return null;
  }

  async put(account: Account, etag: Etag): Promise<string> {
    this.hooks.enter('put');
    const current = this.rows.get(account.id);
    if (etag === null && current !== undefined) throw conflict(`account ${account.id} already exists`);
    if (etag !== null && current?.etag !== etag)
      throw conflict(`account ${account.id} changed or was deleted`);
    const subscriptionId = account.subscription?.id;
    if (subscriptionId !== undefined) {
      const holder = await this.findBySubscriptionId(subscriptionId);
      if (holder !== null && holder.id !== account.id) {
        throw conflict(`subscription ${subscriptionId} belongs to another account`);
      }
    }
    const row = { value: copy(account), etag: nextEtag() };
    this.rows.set(account.id, row);
    this.hooks.afterWrite('put');
    return row.etag;
  }

  async delete(id: string, etag: string): Promise<void> {
    const current = this.rows.get(id);
    if (current === undefined) return;
    if (current.etag !== etag) throw conflict(`account ${id} changed meanwhile`);
    this.rows.delete(id);
  }
}
