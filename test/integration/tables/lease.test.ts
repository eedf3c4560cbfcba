import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TableLease } from '../../../shared/adapters/tables/table-lease.js';
import type { Lease } from '../../../shared/ports.js';
import { InMemoryLease } from '../../fakes/in-memory-lease.js';
import { uniqueName } from '../../support/names.js';

const connectionString = inject('storageConnectionString');
const tableName = uniqueName('leases');
const clock = { at: Date.parse('2025-06-01T10:00:00Z'), now: () => new Date(clock.at) };
let tableLease: TableLease;

beforeAll(async () => {
  tableLease = await TableLease.create({ connectionString, tableName, clock });
});

afterAll(async () => {
  await TableClient.fromConnectionString(connectionString, tableName, {
    allowInsecureConnection: true,
  }).deleteTable();
});

const cases: [string, () => Lease][] = [
  ['TableLease on Azurite', () => tableLease],
  ['InMemoryLease', () => new InMemoryLease(clock)],
];

describe.each(cases)('Lease contract: %s', (_name, makeLease) => {
  it('gives a key to exactly one of several racing acquirers', async () => {
    const lease = makeLease();
    const key = `account/${uniqueName('k')}`;
    const results = await Promise.all([1, 2, 3, 4].map(() => lease.acquire(key, 60_000)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await lease.acquire(`${key}-other`, 60_000)).not.toBeNull();
  });

  it('frees the key on release', async () => {
    const lease = makeLease();
    const key = uniqueName('k');
    const held = await lease.acquire(key, 60_000);
    expect(await lease.acquire(key, 60_000)).toBeNull();
    await held?.release();
    expect(await lease.acquire(key, 60_000)).not.toBeNull();
  });

  it('lets one racer take over an expired lease; the old holder cannot release it', async () => {
    const lease = makeLease();
    const key = uniqueName('k');
    const old = await lease.acquire(key, 1_000);
    clock.at += 1_001;
    const racers = await Promise.all([lease.acquire(key, 60_000), lease.acquire(key, 60_000)]);
    expect(racers.filter((r) => r !== null)).toHaveLength(1);
    await old?.release();
    expect(await lease.acquire(key, 60_000)).toBeNull();
  });

  it('renewal keeps the key past its first expiry; a taken-over or released lease cannot be renewed', async () => {
    const lease = makeLease();
    const key = uniqueName('k');
    const held = await lease.acquire(key, 1_000);
    clock.at += 800;
    expect(await held?.renew(1_000)).toBe(true);
    clock.at += 800; // past the first expiry, within the renewed one
    expect(await lease.acquire(key, 1_000)).toBeNull();
    clock.at += 1_001;
    const next = await lease.acquire(key, 1_000);
    expect(next).not.toBeNull();
    expect(await held?.renew(1_000)).toBe(false);
    await next?.release();
    expect(await next?.renew(1_000)).toBe(false);
  });

  it('renews just after expiry while nobody took the lease over', async () => {
    const lease = makeLease();
    const key = uniqueName('k');
    const held = await lease.acquire(key, 1_000);
    clock.at += 1_500;
    expect(await held?.renew(1_000)).toBe(true);
    expect(await lease.acquire(key, 1_000)).toBeNull();
  });
});
