import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TableAccounts } from '../../../shared/adapters/tables/table-accounts.js';
import { isSyncError } from '../../../shared/errors.js';
import { uniqueName } from '../../support/names.js';
import { accountsContract, makeAccount } from './accounts.contract.js';

const connectionString = inject('storageConnectionString');
const tableName = uniqueName('accounts');
let accounts: TableAccounts;

beforeAll(async () => {
  accounts = await TableAccounts.create({ connectionString, tableName });
});

afterAll(async () => {
  await TableClient.fromConnectionString(connectionString, tableName, {
    allowInsecureConnection: true,
  }).deleteTable();
});

accountsContract('TableAccounts on Azurite', () => accounts);

describe('TableAccounts storage details', () => {
  it('refuses an oversize account with EntityTooLarge before writing', async () => {
    const base = makeAccount();
    const account = { ...base, status: { ...base.status, lastError: 'e'.repeat(40_000) } };
    const error = await accounts.put(account, null).catch((thrown: unknown) => thrown);
    expect(isSyncError(error, 'invalid')).toBe(true);
    expect((error as Error).message).toMatch(/account .* allows at most 65536/);
    expect(await accounts.get(account.id)).toBeNull();
  });
});
