import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { Clock, Lease, LeaseHandle } from '../../ports.js';
import { encodeKey } from './key-encoding.js';
import { ensureTable, readEntity, type TableConnection, tableClientFor } from './table-client.js';
import { isStatus, toTableSyncError } from './table-errors.js';
import { TABLE_NAMES } from './table-names.js';

/**
 * One writer per key (account) in the local stack, where there are no Service Bus sessions.
 * A lease is a row `leases/lease/<enc key>` with its owner and expiry. Taking a free key is a
 * createEntity (exactly one racer gets it); taking an expired lease is a replace with the
 * ETag that was read (exactly one racer gets it); release deletes with our own ETag, so a
 * holder whose lease expired and was taken over never removes the new holder's row. Renewal
 * replaces the row with our ETag: it fails once another worker took the lease over.
 */
const PARTITION = 'lease';

interface LeaseRow {
  owner: string;
  expiresAt: number;
}

export interface TableLeaseOptions extends TableConnection {
  tableName?: string;
  clock?: Clock;
}

export class TableLease implements Lease {
  constructor(
    private readonly table: TableClient,
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  static async create(options: TableLeaseOptions): Promise<TableLease> {
    const table = tableClientFor(options, options.tableName ?? TABLE_NAMES.leases);
    await ensureTable(table);
    return new TableLease(table, options.clock);
  }

  async acquire(key: string, ttlMs: number): Promise<LeaseHandle | null> {
    const rowKey = encodeKey(key);
    const row = { partitionKey: PARTITION, rowKey, owner: randomUUID(), expiresAt: 0 };
    // Two rounds: the holder may release between our failed create and our read.
    for (let round = 0; round < 2; round += 1) {
      row.expiresAt = this.clock.now().getTime() + ttlMs;
      try {
        const created = await this.table.createEntity(row);
        return this.handle({ ...row }, created.etag);
      } catch (thrown) {
        if (!isStatus(thrown, 409)) throw toTableSyncError(thrown, 'acquire a lease');
      }
      const current = await readEntity<LeaseRow>(this.table, PARTITION, rowKey);
      if (current === null) continue;
      if (current.expiresAt > this.clock.now().getTime()) return null;
      try {
        const taken = await this.table.updateEntity(row, 'Replace', { etag: current.etag });
        return this.handle({ ...row }, taken.etag);
      } catch (thrown) {
        if (isStatus(thrown, 412) || isStatus(thrown, 404)) return null;
        throw toTableSyncError(thrown, 'take over an expired lease');
      }
    }
    return null;
  }

  private handle(
    row: { partitionKey: string; rowKey: string; owner: string; expiresAt: number },
    etag: string | undefined,
  ): LeaseHandle {
    let released = false;
    let current = etag ?? '*';
    return {
      // A replace with our last ETag: it fails (412, or 404 once released) exactly when another
      // worker took the lease over, so renewing just after expiry is safe while nobody did.
      renew: async (ttlMs: number): Promise<boolean> => {
        if (released) return false;
        try {
          const renewed = await this.table.updateEntity(
            { ...row, expiresAt: this.clock.now().getTime() + ttlMs },
            'Replace',
            { etag: current },
          );
          current = renewed.etag ?? current;
          return true;
        } catch (thrown) {
          if (isStatus(thrown, 412) || isStatus(thrown, 404)) return false;
          throw toTableSyncError(thrown, 'renew a lease');
        }
      },
      release: async (): Promise<void> => {
        if (released) return;
        released = true;
        try {
          await this.table.deleteEntity(PARTITION, row.rowKey, { etag: current });
        } catch (thrown) {
          // Gone or taken over after expiry: it is not ours any more, nothing to release.
          if (isStatus(thrown, 404) || isStatus(thrown, 412)) return;
          throw toTableSyncError(thrown, 'release a lease');
        }
      },
    };
  }
}
