import { odata, type TableClient } from '@azure/data-tables';
import type { AuditEntry, AuditLog, AuditQuery } from '../../service/audit.js';
import { encodeKey } from './key-encoding.js';
import { ensureTable, type TableConnection, tableClientFor } from './table-client.js';
import { tableCall } from './table-errors.js';
import { TABLE_NAMES } from './table-names.js';

/**
 * The audit log on Table Storage: one partition per tenant (`t|<enc tenant>`, `t|` for none),
 * RowKey = inverted milliseconds + a random suffix, so a partition reads newest first and two
 * entries of the same millisecond never collide. Rows are only ever inserted.
 */
const MAX_MS = 9_999_999_999_999;
const partitionOf = (tenantId: string | null) => `t|${tenantId ? encodeKey(tenantId.toLowerCase()) : ''}`;

export interface TableAuditOptions extends TableConnection {
  tableName?: string;
}

export class TableAudit implements AuditLog {
  constructor(private readonly table: TableClient) {}

  static async create(options: TableAuditOptions): Promise<TableAudit> {
    const audit = new TableAudit(tableClientFor(options, options.tableName ?? TABLE_NAMES.audit));
    await ensureTable(audit.table);
    return audit;
  }

  async record(entry: AuditEntry): Promise<void> {
    const inverted = String(MAX_MS - new Date(entry.at).getTime()).padStart(13, '0');
    const rowKey = `${inverted}|${crypto.randomUUID()}`;
    await tableCall(`write audit entry`, () =>
      this.table.createEntity({
        partitionKey: partitionOf(entry.tenantId),
        rowKey,
        entry: JSON.stringify(entry),
      }),
    );
  }

  /**
   * Per tenant, a partition reads newest first, so its first `limit` rows are the answer. Across
   * every tenant (`*`) partitions come in key order, so the whole table is read and only the
   * newest `limit` are kept (memory stays at about twice `limit`).
   */
  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const newest = (entries: AuditEntry[]) =>
      entries.sort((a, b) => b.at.localeCompare(a.at)).slice(0, query.limit);
    const filters =
      query.tenants === '*'
        ? [undefined]
        : query.tenants.map((t) => odata`PartitionKey eq ${partitionOf(t)}`);
    let found: AuditEntry[] = [];
    for (const filter of filters) {
      const pages = this.table
        .listEntities<{ entry: string }>({
          queryOptions: { ...(filter ? { filter } : {}), select: ['entry'] },
        })
        .byPage({ maxPageSize: Math.min(query.limit, 1000) });
      let taken = 0;
      for await (const page of pages) {
        for (const row of page) found.push(JSON.parse(row.entry) as AuditEntry);
        taken += page.length;
        if (found.length > 2 * query.limit) found = newest(found);
        if (filter && taken >= query.limit) break;
      }
    }
    return newest(found);
  }
}
