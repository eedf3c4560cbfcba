import type { TableClient } from '@azure/data-tables';
import { SyncError } from '../../errors.js';
import { type TenantMailSettings, tenantMailSettingsSchema } from '../../mail/settings.js';
import type { TenantSettingsStore } from '../../mail/settings-store.js';
import type { Etag, Stored } from '../../ports.js';
import { checkEntitySize } from './entity-size.js';
import { encodeKey } from './key-encoding.js';
import { ensureTable, readEntity, type TableConnection, tableClientFor } from './table-client.js';
import { tableCall } from './table-errors.js';
import { TABLE_NAMES } from './table-names.js';

/**
 * A tenant's settings on Table Storage, one row per tenant: PartitionKey `t|<enc tenant id,
 * lower-cased>` (as the audit log files tenants), RowKey `mail`, the settings as JSON in
 * `mail`. Writes are ETag-conditional (create: insert only), so two administrators saving at
 * once cannot lose one's change silently: the later one gets a `conflict` and reads again.
 */
const partitionOf = (tenantId: string) => `t|${encodeKey(tenantId.toLowerCase())}`;
const ROW = 'mail';

interface TenantEntity {
  mail: string;
}

export interface TableTenantSettingsOptions extends TableConnection {
  tableName?: string;
}

export class TableTenantSettings implements TenantSettingsStore {
  constructor(private readonly table: TableClient) {}

  static async create(options: TableTenantSettingsOptions): Promise<TableTenantSettings> {
    const store = new TableTenantSettings(tableClientFor(options, options.tableName ?? TABLE_NAMES.tenants));
    await ensureTable(store.table);
    return store;
  }

  async get(tenantId: string): Promise<Stored<TenantMailSettings> | null> {
    const row = await readEntity<TenantEntity>(this.table, partitionOf(tenantId), ROW);
    if (row === null) return null;
    // Our own JSON, but read through the schema: a row from an older version gets its defaults.
    const parsed = tenantMailSettingsSchema.safeParse(JSON.parse(row.mail));
    return { value: parsed.success ? parsed.data : { blocklist: [] }, etag: row.etag };
  }

  async put(tenantId: string, settings: TenantMailSettings, etag: Etag): Promise<string> {
    const entity = { partitionKey: partitionOf(tenantId), rowKey: ROW, mail: JSON.stringify(settings) };
    checkEntitySize(entity, `tenant ${tenantId} settings`);
    try {
      const response = await tableCall(`put tenant ${tenantId} settings`, () =>
        etag === null
          ? this.table.createEntity(entity)
          : this.table.updateEntity(entity, 'Replace', { etag }),
      );
      if (response.etag) return response.etag;
    } catch (error) {
      if (error instanceof SyncError && error.kind === 'conflict')
        throw new SyncError('conflict', 'TenantSettingsChanged', `tenant ${tenantId} settings changed`, {
          status: 412,
        });
      throw error;
    }
    const reread = await this.get(tenantId);
    if (reread === null) throw new SyncError('conflict', 'TenantSettingsChanged', 'settings vanished');
    return reread.etag;
  }
}
