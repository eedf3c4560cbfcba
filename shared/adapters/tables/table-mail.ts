import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { isSyncError, SyncError } from '../../errors.js';
import { type CrmMail, crmMailSchema } from '../../mail/crm-mail.js';
import type { KnownCopy, MailStore, UnlinkedCopy } from '../../mail-sync/ports.js';
import type { Etag, Stored } from '../../ports.js';
import { checkEntitySize } from './entity-size.js';
import { encodeKey } from './key-encoding.js';
import { ensureTable, readEntity, type TableConnection, tableClientFor } from './table-client.js';
import { tableCall } from './table-errors.js';
import { TABLE_NAMES } from './table-names.js';

/**
 * The mail sync's store on Table Storage (table `mail`, DESIGN section 10: every external id
 * encoded into keys, entities under 1 MiB, strings under 64 KiB, writes with the ETag):
 *   PK `copy|<enc accountId>`  RK `<enc messageId>`   a linked message: `key`, `folder`
 *   PK `mail|<enc tenantId>`   RK `<key>`             a CRM e-mail as we last wrote it, JSON in
 *                                                     `p0…pN` (30,000 characters each), `receivedAt`
 *   PK `pend|<enc accountId>`  RK `<enc messageId>`   a message that linked no contact (yet):
 *                                                     `folder`, `addresses` (JSON), `receivedAt`
 *   PK `sub`                   RK `<enc subscriptionId>` the account owning a message subscription
 * A tenant's e-mails share a partition, so the window's metadata is one partition query.
 */
const CHUNK = 30_000;
const MAX_CHUNKS = 15;
const BATCH = 100;

const copyPartition = (accountId: string) => `copy|${encodeKey(accountId)}`;
const mailPartition = (tenantId: string) => `mail|${encodeKey(tenantId)}`;
const SUB_PARTITION = 'sub';
const unlinkedPartition = (accountId: string) => `pend|${encodeKey(accountId)}`;
/** A message with more addresses than fit a property is not kept for relinking. */
const MAX_ADDRESSES_JSON = 30_000;

interface CopyEntity {
  key: string;
  folder: string;
}

type MailEntity = Record<string, unknown> & { receivedAt: string; chunks: number };

export interface TableMailOptions extends TableConnection {
  tableName?: string;
}

export class TableMail implements MailStore {
  constructor(private readonly table: TableClient) {}

  static async create(options: TableMailOptions): Promise<TableMail> {
    const store = new TableMail(tableClientFor(options, options.tableName ?? TABLE_NAMES.mail));
    await ensureTable(store.table);
    return store;
  }

  async knownCopies(accountId: string): Promise<Map<string, KnownCopy>> {
    const filter = odata`PartitionKey eq ${copyPartition(accountId)}`;
    const found = new Map<string, KnownCopy>();
    const pages = this.table.listEntities<CopyEntity>({ queryOptions: { filter } }).byPage();
    for (;;) {
      const page = await tableCall('list known mail copies', () => pages.next());
      if (page.done === true) return found;
      for (const row of page.value) {
        found.set(Buffer.from(row.rowKey ?? '', 'base64url').toString('utf8'), {
          key: row.key,
          folder: row.folder,
        });
      }
    }
  }

  async applyCopies(
    accountId: string,
    remember: readonly { messageId: string; copy: KnownCopy }[],
    forget: readonly string[],
  ): Promise<void> {
    const partitionKey = copyPartition(accountId);
    const upserts: TransactionAction[] = remember.map(({ messageId, copy }) => [
      'upsert',
      { partitionKey, rowKey: encodeKey(messageId), key: copy.key, folder: copy.folder },
      'Replace',
    ]);
    for (let i = 0; i < upserts.length; i += BATCH) {
      const actions = upserts.slice(i, i + BATCH);
      await tableCall('remember mail copies', () => this.table.submitTransaction(actions));
    }
    // One by one: a transaction fails whole on a row already gone (a replayed page).
    for (const messageId of forget) {
      await tableCall('forget a mail copy', () =>
        this.table.deleteEntity(partitionKey, encodeKey(messageId)),
      ).catch((error: unknown) => {
        if (!isSyncError(error, 'notFound')) throw error;
      });
    }
  }

  async getMail(tenantId: string, key: string): Promise<Stored<CrmMail> | null> {
    const row = await readEntity<MailEntity>(this.table, mailPartition(tenantId), key);
    return row === null ? null : { value: decodeMail(row), etag: row.etag };
  }

  async putMail(tenantId: string, mail: CrmMail, etag: Etag): Promise<string> {
    const entity = { partitionKey: mailPartition(tenantId), rowKey: mail.key, ...encodeMail(mail) };
    checkEntitySize(entity, `e-mail ${mail.key}`);
    const response = await tableCall(`put e-mail ${mail.key}`, () =>
      etag === null ? this.table.createEntity(entity) : this.table.updateEntity(entity, 'Replace', { etag }),
    );
    if (!response.etag)
      throw new SyncError('transient', 'NoEtag', `put e-mail ${mail.key}: no ETag in the answer`);
    return response.etag;
  }

  async *mailsSince(tenantId: string, since: Date): AsyncIterable<CrmMail> {
    const filter = odata`PartitionKey eq ${mailPartition(tenantId)} and receivedAt ge ${since.toISOString()}`;
    const pages = this.table.listEntities<MailEntity>({ queryOptions: { filter } }).byPage();
    for (;;) {
      const page = await tableCall('list e-mails of the window', () => pages.next());
      if (page.done === true) return;
      for (const row of page.value) yield decodeMail(row);
    }
  }

  async rememberUnlinked(accountId: string, copies: readonly UnlinkedCopy[]): Promise<void> {
    const partitionKey = unlinkedPartition(accountId);
    const actions: TransactionAction[] = copies.flatMap((copy): TransactionAction[] => {
      const addresses = JSON.stringify(copy.addresses);
      if (addresses.length > MAX_ADDRESSES_JSON) return [];
      return [
        [
          'upsert',
          {
            partitionKey,
            rowKey: encodeKey(copy.messageId),
            folder: copy.folder,
            addresses,
            receivedAt: copy.receivedAt ?? '',
          },
          'Replace',
        ],
      ];
    });
    for (let i = 0; i < actions.length; i += BATCH) {
      const batch = actions.slice(i, i + BATCH);
      await tableCall('remember unlinked mail', () => this.table.submitTransaction(batch));
    }
  }

  async forgetUnlinked(accountId: string, messageIds: readonly string[]): Promise<void> {
    const partitionKey = unlinkedPartition(accountId);
    for (const messageId of messageIds) {
      await tableCall('forget unlinked mail', () =>
        this.table.deleteEntity(partitionKey, encodeKey(messageId)),
      ).catch((error: unknown) => {
        if (!isSyncError(error, 'notFound')) throw error;
      });
    }
  }

  async *unlinked(accountId: string): AsyncIterable<UnlinkedCopy> {
    const filter = odata`PartitionKey eq ${unlinkedPartition(accountId)}`;
    const pages = this.table
      .listEntities<{ folder: string; addresses: string; receivedAt: string }>({ queryOptions: { filter } })
      .byPage();
    for (;;) {
      const page = await tableCall('list unlinked mail', () => pages.next());
      if (page.done === true) return;
      for (const row of page.value) {
        yield {
          messageId: Buffer.from(row.rowKey ?? '', 'base64url').toString('utf8'),
          folder: row.folder,
          addresses: JSON.parse(row.addresses) as string[],
          receivedAt: row.receivedAt === '' ? null : row.receivedAt,
        };
      }
    }
  }

  async subscriptionOwner(subscriptionId: string): Promise<string | null> {
    let row: { accountId: string } | null;
    try {
      row = await readEntity<{ accountId: string }>(this.table, SUB_PARTITION, encodeKey(subscriptionId));
    } catch (error) {
      if (isSyncError(error, 'invalid')) return null; // cannot even be a key: not one of ours
      throw error;
    }
    return row?.accountId ?? null;
  }

  async putSubscriptionOwner(subscriptionId: string, accountId: string): Promise<void> {
    await tableCall('put mail subscription owner', () =>
      this.table.upsertEntity(
        { partitionKey: SUB_PARTITION, rowKey: encodeKey(subscriptionId), accountId },
        'Replace',
      ),
    );
  }

  async deleteSubscriptionOwner(subscriptionId: string): Promise<void> {
    await tableCall('delete mail subscription owner', () =>
      this.table.deleteEntity(SUB_PARTITION, encodeKey(subscriptionId)),
    ).catch((error: unknown) => {
      if (!isSyncError(error, 'notFound')) throw error;
    });
  }
}

/**
 * JSON with every non-ASCII character escaped (`\u00e4`): a long row is read back over
 * several network chunks, and a multi-byte character split between two of them came back as
 * two replacement characters (seen with Azurite). ASCII cannot be split.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function encodeMail(mail: CrmMail): Record<string, unknown> {
  const json = asciiJson(mail);
  const chunks = Math.ceil(json.length / CHUNK);
  if (chunks > MAX_CHUNKS) {
    throw new SyncError(
      'invalid',
      'EntityTooLarge',
      `e-mail ${mail.key} is too large to keep (${json.length} characters)`,
    );
  }
  const parts: Record<string, string> = {};
  for (let i = 0; i < chunks; i++) parts[`p${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
  // Sorts as an instant; a mail without one counts as in every window.
  return { receivedAt: mail.receivedAt ?? '9999-12-31T00:00:00Z', chunks, ...parts };
}

function decodeMail(row: MailEntity): CrmMail {
  let json = '';
  for (let i = 0; i < row.chunks; i++) json += String(row[`p${i}`] ?? '');
  // Our own JSON, but validated: a row cut short must not become a wrong e-mail.
  const parsed = crmMailSchema.safeParse(JSON.parse(json));
  if (!parsed.success)
    throw new SyncError('permanent', 'StoredMailInvalid', 'a stored e-mail does not validate');
  return parsed.data;
}
