import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { Account } from '../../accounts/account.js';
import { SyncError } from '../../errors.js';
import type { Accounts, Etag, Stored } from '../../ports.js';
import { checkEntitySize } from './entity-size.js';
import { encodeKey, prefixUpperBound } from './key-encoding.js';
import {
  ensureTable,
  etagOfFirstAction,
  readEntity,
  type TableConnection,
  tableClientFor,
} from './table-client.js';
import { isStatus, tableCall, toTableSyncError } from './table-errors.js';
import { TABLE_NAMES } from './table-names.js';

/**
 * Accounts on Table Storage. All rows share one partition, so an account and its lookup row
 * change in one transaction:
 *   acct|<enc id>            the account as JSON in `account` (+ email, syncVersion to read by eye)
 *   sub|<enc subscriptionId> lookup → accountId, present exactly while the account holds it
 */
const PARTITION = 'accounts';
const ACCOUNT_PREFIX = 'acct|';
const accountRowKey = (id: string) => ACCOUNT_PREFIX + encodeKey(id);
const subscriptionRowKey = (id: string) => `sub|${encodeKey(id)}`;

interface AccountEntity {
  account: string;
  email: string;
  syncVersion: string;
}

const conflict = (message: string) => new SyncError('conflict', 'AccountChanged', message, { status: 412 });

export interface TableAccountsOptions extends TableConnection {
  tableName?: string;
}

export class TableAccounts implements Accounts {
  constructor(private readonly table: TableClient) {}

  static fromConnectionString(options: TableAccountsOptions): TableAccounts {
    return new TableAccounts(tableClientFor(options, options.tableName ?? TABLE_NAMES.accounts));
  }

  static async create(options: TableAccountsOptions): Promise<TableAccounts> {
    const accounts = TableAccounts.fromConnectionString(options);
    await ensureTable(accounts.table);
    return accounts;
  }

  async get(id: string): Promise<Stored<Account> | null> {
    const row = await readEntity<AccountEntity>(this.table, PARTITION, accountRowKey(id));
    // The JSON is our own, written by put().
    return row === null ? null : { value: JSON.parse(row.account) as Account, etag: row.etag };
  }

  async *list(): AsyncIterable<Account> {
    const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${ACCOUNT_PREFIX} and RowKey lt ${prefixUpperBound(ACCOUNT_PREFIX)}`;
    const pages = this.table.listEntities<AccountEntity>({ queryOptions: { filter } }).byPage();
    while (true) {
      const page = await tableCall('list accounts', () => pages.next());
      if (page.done === true) return;
      for (const row of page.value) yield JSON.parse(row.account) as Account;
    }
  }

  async findBySubscriptionId(subscriptionId: string): Promise<Account | null> {
    const lookup = await readEntity<{ accountId: string }>(
      this.table,
      PARTITION,
      subscriptionRowKey(subscriptionId),
    );
    if (lookup === null) return null;
    const stored = await this.get(lookup.accountId);
    // Re-check: the account may have renewed to another subscription between the two reads.
    return stored !== null && stored.value.subscription?.id === subscriptionId ? stored.value : null;
  }

  async put(account: Account, etag: Etag): Promise<string> {
    const rowKey = accountRowKey(account.id);
    const entity = {
      partitionKey: PARTITION,
      rowKey,
      account: JSON.stringify(account),
      email: account.email,
      syncVersion: account.syncVersion,
    };
    checkEntitySize(entity, `account ${account.id}`);
    const newSub = account.subscription?.id ?? null;
    const lookup = (id: string) => ({
      partitionKey: PARTITION,
      rowKey: subscriptionRowKey(id),
      accountId: account.id,
    });
    const actions: TransactionAction[] = [];
    let oldSub: string | null = null;
    if (etag === null) {
      actions.push(['create', entity]);
    } else {
      const current = await this.get(account.id);
      if (current === null || current.etag !== etag)
        throw conflict(`account ${account.id} changed or was deleted`);
      oldSub = current.value.subscription?.id ?? null;
      actions.push(['update', entity, 'Replace', { etag }]);
    }
    if (oldSub !== newSub) {
      if (oldSub !== null) actions.push(['delete', lookup(oldSub)]);
      if (newSub !== null) actions.push(['create', lookup(newSub)]);
    }
    const response = await tableCall(`put account ${account.id}`, () =>
      this.table.submitTransaction(actions),
    );
    const newEtag = etagOfFirstAction(response, rowKey);
    if (newEtag !== undefined) return newEtag;
    const reread = await this.get(account.id);
    if (reread === null) throw conflict(`account ${account.id} vanished right after it was written`);
    return reread.etag;
  }

  /**
   * The account row first, with If-Match (a transaction's delete carries no If-Match: the SDK's
   * `["delete", entity]`), so a write that came between the caller's read and this delete keeps
   * the account; then its `sub|` lookup row. A crash in between leaves a lookup row that names
   * no account, which `findBySubscriptionId` answers with null.
   */
  async delete(id: string, etag: string): Promise<void> {
    const current = await this.get(id);
    if (current === null) return;
    if (current.etag !== etag) throw conflict(`account ${id} changed meanwhile`);
    try {
      await this.table.deleteEntity(PARTITION, accountRowKey(id), { etag });
    } catch (thrown) {
      if (isStatus(thrown, 404)) return;
      if (isStatus(thrown, 412)) throw conflict(`account ${id} changed meanwhile`);
      throw toTableSyncError(thrown, `delete account ${id}`);
    }
    const sub = current.value.subscription?.id;
    if (!sub) return;
    await this.table.deleteEntity(PARTITION, subscriptionRowKey(sub)).catch((thrown: unknown) => {
      if (!isStatus(thrown, 404)) throw toTableSyncError(thrown, `delete the lookup row of account ${id}`);
    });
  }
}
