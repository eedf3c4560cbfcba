import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TableAccounts } from '../../../shared/adapters/tables/table-accounts.js';
import { isSyncError } from '../../../shared/errors.js';
import { uniqueName } from '../../support/names.js';
import { makeAccount } from './accounts.contract.js';

/**
 * `Accounts.delete` on Azurite (issue 18 item 5): the account row and its `sub|` lookup row go,
 * only while the account is unchanged since the caller read it (the ETag), and a second delete
 * is not an error.
 */
const connectionString = inject('storageConnectionString');
const tableName = uniqueName('acctdelete');
const client = () =>
  TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
let accounts: TableAccounts;

beforeAll(async () => {
  accounts = await TableAccounts.create({ connectionString, tableName });
});

afterAll(async () => {
  await client().deleteTable();
});

const subscription = (id: string) => ({
  id,
  expirationDateTime: '2025-06-08T10:00:00.000Z',
  clientState: 'state',
  resource: 'me/contacts',
});

async function listed(id: string): Promise<boolean> {
  for await (const a of accounts.list()) if (a.id === id) return true;
  return false;
}

describe('TableAccounts.delete on Azurite', () => {
  it('removes the account and its subscription lookup row; a second delete is fine', async () => {
    const sub = `sub-${randomUUID()}`;
    const account = makeAccount({ subscription: subscription(sub) });
    const etag = await accounts.put(account, null);

    await accounts.delete(account.id, etag);

    expect(await accounts.get(account.id)).toBeNull();
    expect(await listed(account.id)).toBe(false);
    expect(await accounts.findBySubscriptionId(sub)).toBeNull();
    // The lookup row is gone too: another account may hold the id now (a put would conflict on it).
    await accounts.put(makeAccount({ subscription: subscription(sub) }), null);
    await accounts.delete(account.id, etag);
  });

  it('refuses a stale etag with conflict and keeps the account', async () => {
    const account = makeAccount();
    const etag = await accounts.put(account, null);
    const etag2 = await accounts.put({ ...account, crmCursor: 'later' }, etag);
    const error = await accounts.delete(account.id, etag).catch((e: unknown) => e);
    expect(isSyncError(error, 'conflict')).toBe(true);
    expect(await accounts.get(account.id)).toEqual({
      value: { ...account, crmCursor: 'later' },
      etag: etag2,
    });
  });

  it('does not delete an account another writer changed between the check and the delete', async () => {
    const sub = `sub-${randomUUID()}`;
    const account = makeAccount({ subscription: subscription(sub) });
    const etag = await accounts.put(account, null);
    const other = new TableAccounts(client());
    // The table as the deleting process sees it: right after any read of the account, another
    // process writes it (the worker's status update racing the removal).
    let raced = false;
    const table = client();
    const racing = new Proxy(table, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'getEntity' || typeof value !== 'function')
          return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          const read = await value.apply(target, args);
          if (!raced) {
            raced = true;
            const current = await other.get(account.id);
            if (current) await other.put({ ...current.value, crmCursor: 'raced' }, current.etag);
          }
          return read;
        };
      },
    });
    const deleting = new TableAccounts(racing);

    const error = await deleting.delete(account.id, etag).catch((e: unknown) => e);

    expect(raced).toBe(true);
    expect(isSyncError(error, 'conflict')).toBe(true);
    expect((await accounts.get(account.id))?.value.crmCursor).toBe('raced');
    expect((await accounts.findBySubscriptionId(sub))?.id).toBe(account.id);
  });
});
