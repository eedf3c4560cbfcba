import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { isSyncError, SyncError } from '../../errors.js';
import type { Etag, Mirror, Stored } from '../../ports.js';
import type { ContactLink, LogEntry } from '../../sync/link.js';
import { checkEntitySize } from './entity-size.js';
import { prefixUpperBound } from './key-encoding.js';
import * as rows from './link-rows.js';
import { appendLog, pruneLog, readLog } from './mirror-log.js';
import {
  ensureTable,
  etagOfFirstAction,
  readEntity,
  type TableConnection,
  tableClientFor,
} from './table-client.js';
import { tableCall } from './table-errors.js';
import { TABLE_NAMES } from './table-names.js';

export interface TableMirrorClients {
  links: TableClient;
  actionLog: TableClient;
}

export interface TableMirrorOptions extends TableConnection {
  tableNames?: Partial<Record<keyof TableMirrorClients, string>>;
}

const conflict = (message: string) => new SyncError('conflict', 'LinkChanged', message, { status: 412 });

/** The sync mirror on Table Storage; row layout in link-rows.ts. */
export class TableMirror implements Mirror {
  constructor(private readonly tables: TableMirrorClients) {}

  static fromConnectionString(options: TableMirrorOptions): TableMirror {
    const name = (role: keyof TableMirrorClients) => options.tableNames?.[role] ?? TABLE_NAMES[role];
    return new TableMirror({
      links: tableClientFor(options, name('links')),
      actionLog: tableClientFor(options, name('actionLog')),
    });
  }

  /** Like fromConnectionString, and creates the tables that are missing. */
  static async create(options: TableMirrorOptions): Promise<TableMirror> {
    const mirror = TableMirror.fromConnectionString(options);
    await Promise.all(Object.values(mirror.tables).map(ensureTable));
    return mirror;
  }

  async getByLinkId(accountId: string, linkId: string): Promise<Stored<ContactLink> | null> {
    const row = await readEntity<rows.LinkEntity>(
      this.tables.links,
      rows.partitionOf(accountId),
      rows.linkRowKey(linkId),
    );
    const value = row === null ? null : rows.linkFromEntity(row);
    return row === null || value === null ? null : { value, etag: row.etag };
  }

  getByCrmId(accountId: string, crmId: string): Promise<Stored<ContactLink> | null> {
    return this.viaLookup(accountId, rows.crmRowKey(crmId), (link) => link.crmId === crmId);
  }

  getByExchangeId(accountId: string, exchangeId: string): Promise<Stored<ContactLink> | null> {
    return this.viaLookup(
      accountId,
      rows.exchangeRowKey(exchangeId),
      (link) => link.exchangeId === exchangeId,
    );
  }

  private async viaLookup(accountId: string, rowKey: string, agrees: (link: ContactLink) => boolean) {
    const lookup = await readEntity<rows.LookupEntity>(
      this.tables.links,
      rows.partitionOf(accountId),
      rowKey,
    );
    if (lookup === null) return null;
    const stored = await this.getByLinkId(accountId, lookup.linkId);
    // A writer may have moved the link between our two reads: then this id is no longer its.
    return stored !== null && agrees(stored.value) ? stored : null;
  }

  async put(link: ContactLink, etag: Etag): Promise<string> {
    const entity = rows.linkEntity(link);
    checkEntitySize(entity, `link ${link.linkId}`);
    const [crm, exchange] = rows.lookupEntities(link);
    if (etag === null) {
      // Most creates find nothing in the way: try without reading first. Only when something
      // is there (a tombstone, a link, a lookup row) read and decide, as below.
      const fresh = await this.submit(link, entity, [
        ['create', entity],
        ['create', crm],
        ['create', exchange],
      ]).catch((error: unknown) => {
        if (isSyncError(error, 'conflict')) return null;
        throw error;
      });
      if (fresh !== null) return fresh;
    }
    const current = await readEntity<rows.LinkEntity>(this.tables.links, entity.partitionKey, entity.rowKey);
    const old = current === null ? null : rows.linkFromEntity(current);
    const actions: TransactionAction[] = [];
    if (etag === null) {
      if (old !== null) throw conflict(`link ${link.linkId} already exists`);
      // A tombstone left by an interrupted delete is replaced, conditionally.
      actions.push(
        current === null ? ['create', entity] : ['update', entity, 'Replace', { etag: current.etag }],
      );
      actions.push(['create', crm], ['create', exchange]);
    } else {
      if (old === null || current?.etag !== etag)
        throw conflict(`link ${link.linkId} changed or was deleted`);
      actions.push(['update', entity, 'Replace', { etag }]);
      if (old.crmId !== link.crmId) actions.push(['delete', rows.lookupEntities(old)[0]], ['create', crm]);
      if (old.exchangeId !== link.exchangeId) {
        actions.push(['delete', rows.lookupEntities(old)[1]], ['create', exchange]);
      }
    }
    return this.submit(link, entity, actions);
  }

  /** One transaction over the link's partition; resolves with the link row's new ETag. */
  private async submit(link: ContactLink, entity: rows.LinkEntity, actions: TransactionAction[]) {
    const response = await tableCall(`put link ${link.linkId}`, () =>
      this.tables.links.submitTransaction(actions),
    );
    const newEtag = etagOfFirstAction(response, entity.rowKey);
    if (newEtag !== undefined) return newEtag;
    const reread = await readEntity<rows.LinkEntity>(this.tables.links, entity.partitionKey, entity.rowKey);
    if (reread === null) throw conflict(`link ${link.linkId} was deleted right after it was written`);
    return reread.etag;
  }

  async delete(link: ContactLink, etag: string): Promise<void> {
    const partitionKey = rows.partitionOf(link.accountId);
    const rowKey = rows.linkRowKey(link.linkId);
    const current = await readEntity<rows.LinkEntity>(this.tables.links, partitionKey, rowKey);
    const old = current === null ? null : rows.linkFromEntity(current);
    if (current === null || old === null) {
      throw new SyncError('notFound', 'LinkNotFound', `link ${link.linkId} does not exist`, { status: 404 });
    }
    if (current.etag !== etag) throw conflict(`link ${link.linkId} changed since it was read`);
    const [crm, exchange] = rows.lookupEntities(old);
    const tombstone = rows.tombstoneEntity(link.accountId, link.linkId);
    const response = await tableCall(`delete link ${link.linkId}`, () =>
      this.tables.links.submitTransaction([
        ['update', tombstone, 'Replace', { etag }],
        ['delete', crm],
        ['delete', exchange],
      ]),
    );
    const tombstoneEtag = etagOfFirstAction(response, rowKey) ?? '*';
    // Best effort: a tombstone that stays behind reads as "no link" and is reused by a create.
    await this.tables.links
      .deleteEntity(partitionKey, rowKey, { etag: tombstoneEtag })
      .catch(() => undefined);
  }

  async *list(accountId: string): AsyncIterable<ContactLink> {
    const from = rows.LINK_PREFIX;
    const filter = odata`PartitionKey eq ${rows.partitionOf(accountId)} and RowKey ge ${from} and RowKey lt ${prefixUpperBound(from)}`;
    const pages = this.tables.links.listEntities<rows.LinkEntity>({ queryOptions: { filter } }).byPage();
    while (true) {
      const page = await tableCall(`list links`, () => pages.next());
      if (page.done === true) return;
      for (const row of page.value) {
        const link = rows.linkFromEntity(row);
        if (link !== null) yield link;
      }
    }
  }

  appendLog(accountId: string, entries: LogEntry[]): Promise<void> {
    return appendLog(this.tables.actionLog, accountId, entries);
  }

  pruneLog(accountId: string, before: Date, limit: number): Promise<number> {
    return pruneLog(this.tables.actionLog, accountId, before, limit);
  }

  readLog(accountId: string, contactKey: string): Promise<LogEntry[]> {
    return readLog(this.tables.actionLog, accountId, contactKey);
  }
}
