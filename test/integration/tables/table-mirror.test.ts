import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { encodeKey } from '../../../shared/adapters/tables/key-encoding.js';
import { TableMirror } from '../../../shared/adapters/tables/table-mirror.js';
import { isSyncError } from '../../../shared/errors.js';
import { uniqueName } from '../../support/names.js';
import { emptyFields, makeLink } from './link-fixture.js';
import { mirrorContract } from './mirror.contract.js';

const connectionString = inject('storageConnectionString');
const tableNames = { links: uniqueName('links'), actionLog: uniqueName('log') };
let mirror: TableMirror;

beforeAll(async () => {
  mirror = await TableMirror.create({ connectionString, tableNames });
});

afterAll(async () => {
  for (const name of Object.values(tableNames)) {
    await TableClient.fromConnectionString(connectionString, name, {
      allowInsecureConnection: true,
    }).deleteTable();
  }
});

mirrorContract('TableMirror on Azurite', () => mirror);

describe('TableMirror action log layout', () => {
  it("puts an account's log in one partition per month, not one unbounded partition", async () => {
    const account = `layout-${uniqueName('a')}`;
    await mirror.appendLog(account, [
      { contactKey: 'crm:1', at: '2025-06-30T10:00:00.000Z', level: 'info', action: 'a', detail: 'd' },
      { contactKey: 'crm:1', at: '2025-07-01T10:00:00.000Z', level: 'info', action: 'b', detail: 'd' },
    ]);
    const table = TableClient.fromConnectionString(connectionString, tableNames.actionLog, {
      allowInsecureConnection: true,
    });
    const partitions = new Set<string>();
    for await (const row of table.listEntities()) {
      if (typeof row.partitionKey === 'string' && row.partitionKey.startsWith(encodeKey(account)))
        partitions.add(row.partitionKey);
    }
    expect([...partitions].sort()).toEqual([
      `${encodeKey(account)}|2025-06`,
      `${encodeKey(account)}|2025-07`,
    ]);
  });
});

describe('TableMirror storage details', () => {
  const raw = () =>
    TableClient.fromConnectionString(connectionString, tableNames.links, { allowInsecureConnection: true });

  it('answers every write with the ETag the row now has, read from the transaction itself', async () => {
    const reads = vi.spyOn(TableClient.prototype, 'getEntity');
    const link = makeLink({ crmId: 'etag|crm', exchangeId: 'AAMk/etag==' });
    try {
      const created = await mirror.put(link, null);
      const updated = await mirror.put({ ...link, crmVersion: 2 }, created);
      const moved = await mirror.put({ ...link, crmVersion: 3, exchangeId: 'AAMk/moved==' }, updated);
      expect(reads).toHaveBeenCalledTimes(2); // the updates read the row they replace, nothing more
      expect((await mirror.getByLinkId(link.accountId, link.linkId))?.etag).toBe(moved);
      expect(new Set([created, updated, moved]).size).toBe(3);
    } finally {
      reads.mockRestore();
    }
  });

  it('never puts raw ids into keys and keeps exactly three rows per link', async () => {
    const link = makeLink({ crmId: 'a/b\\c#d?e', exchangeId: 'AAMk/+x==' });
    const etag = await mirror.put(link, null);
    await mirror.put({ ...link, exchangeId: 'AAMk/+y==' }, etag);
    const keys: string[] = [];
    for await (const row of raw().listEntities({
      queryOptions: { filter: `PartitionKey eq '${encodeKey(link.accountId)}'` },
    })) {
      keys.push(row.rowKey ?? '');
    }
    expect(keys.sort()).toEqual(
      [
        `crm|${encodeKey(link.crmId)}`,
        `exch|${encodeKey('AAMk/+y==')}`,
        `link|${encodeKey(link.linkId)}`,
      ].sort(),
    );
    for (const key of keys) expect(key).not.toMatch(/[/\\#?]/);
  });

  it('refuses an oversize snapshot with a clear invalid error and writes nothing', async () => {
    const link = makeLink({ snapshot: { ...emptyFields(), surname: 'x'.repeat(40_000) } });
    const error = await mirror.put(link, null).catch((thrown: unknown) => thrown);
    expect(isSyncError(error, 'invalid')).toBe(true);
    expect((error as Error).message).toMatch(
      /link .* property "link" is \d+ bytes; Table Storage allows at most 65536/,
    );
    expect((error as { code?: string }).code).toBe('EntityTooLarge');
    expect(await mirror.getByCrmId(link.accountId, link.crmId)).toBeNull();
  });

  it('reads a tombstone left by an interrupted delete as no link, and creates over it', async () => {
    const link = makeLink();
    const etag = await mirror.put(link, null);
    const row = await raw().getEntity(encodeKey(link.accountId), `link|${encodeKey(link.linkId)}`);
    await raw().updateEntity(
      { partitionKey: row.partitionKey!, rowKey: row.rowKey!, deleted: true },
      'Replace',
      { etag },
    );
    expect(await mirror.getByLinkId(link.accountId, link.linkId)).toBeNull();
    await raw().deleteEntity(encodeKey(link.accountId), `crm|${encodeKey(link.crmId)}`);
    await raw().deleteEntity(encodeKey(link.accountId), `exch|${encodeKey(link.exchangeId)}`);
    const again = await mirror.put(link, null);
    expect(await mirror.getByCrmId(link.accountId, link.crmId)).toEqual({ value: link, etag: again });
  });
});
