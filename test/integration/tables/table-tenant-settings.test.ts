import { describe, expect, inject, it } from 'vitest';
import { TableTenantSettings } from '../../../shared/adapters/tables/table-tenant-settings.js';
import { isSyncError } from '../../../shared/errors.js';
import { uniqueName } from '../../support/names.js';

/** A tenant's settings on Azurite: none until saved, one row per tenant, ETag-conditional writes. */
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

const store = () =>
  TableTenantSettings.create({
    connectionString: inject('storageConnectionString'),
    tableName: uniqueName('tenants'),
  });

describe('TableTenantSettings', () => {
  it('has nothing for a tenant that never saved, and keeps each tenant apart', async () => {
    const tenants = await store();
    expect(await tenants.get(A)).toBeNull();
    await tenants.put(A, { blocklist: ['@spam.example', 'x@y.example'] }, null);
    expect((await tenants.get(A))?.value).toEqual({ blocklist: ['@spam.example', 'x@y.example'] });
    // The tenant id's case does not matter (tokens and accounts may spell it differently).
    expect((await tenants.get(A.toUpperCase()))?.value.blocklist).toHaveLength(2);
    expect(await tenants.get(B)).toBeNull();
  });

  it('refuses a write with a stale etag, and a second create, as a conflict', async () => {
    const tenants = await store();
    const first = await tenants.put(A, { blocklist: [] }, null);
    await expect(tenants.put(A, { blocklist: ['@a.example'] }, null)).rejects.toSatisfy((e) =>
      isSyncError(e, 'conflict'),
    );
    const second = await tenants.put(A, { blocklist: ['@b.example'] }, first);
    expect(second).not.toBe(first);
    await expect(tenants.put(A, { blocklist: ['@c.example'] }, first)).rejects.toSatisfy((e) =>
      isSyncError(e, 'conflict'),
    );
    const now = await tenants.get(A);
    expect(now).toEqual({ value: { blocklist: ['@b.example'] }, etag: second });
  });
});
