import { randomBytes } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { SyncError } from '../../errors.js';
import type { LogEntry } from '../../sync/link.js';
import { checkEntitySize } from './entity-size.js';
import { encodeKey, prefixUpperBound } from './key-encoding.js';
import { isStatus, tableCall, toTableSyncError } from './table-errors.js';

/**
 * Processed-event ids and the per-contact action log. Both are partitioned by account.
 * Log row key: `<enc contactKey>|<ms since epoch, 15 digits>|<counter><random>`, so one
 * contact's entries are one key range, sorted by time, then by the order they were appended.
 */

/** createEntity is atomic: of two deliveries of one event, exactly one gets `true`. */
export async function markProcessed(
  events: TableClient,
  accountId: string,
  eventId: string,
  at: Date,
): Promise<boolean> {
  try {
    await events.createEntity({
      partitionKey: encodeKey(accountId),
      rowKey: encodeKey(eventId),
      at: at.toISOString(),
    });
    return true;
  } catch (thrown) {
    if (isStatus(thrown, 409)) return false;
    throw toTableSyncError(thrown, 'record a processed event');
  }
}

let counter = 0;
// Distinguishes processes that append in the same millisecond.
const processTag = randomBytes(3).toString('hex');

function logRowKey(contactKey: string, at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms) || ms < 0) throw new SyncError('invalid', 'InvalidLogEntry', `Log entry time "${at}"`);
  counter = (counter + 1) % 1e10;
  return `${encodeKey(contactKey)}|${String(ms).padStart(15, '0')}|${String(counter).padStart(10, '0')}${processTag}`;
}

const TRANSACTION_LIMIT = 100;

export async function appendLog(log: TableClient, accountId: string, entries: LogEntry[]): Promise<void> {
  const partitionKey = encodeKey(accountId);
  const actions: TransactionAction[] = entries.map((entry) => {
    const entity = {
      partitionKey,
      rowKey: logRowKey(entry.contactKey, entry.at),
      contactKey: entry.contactKey,
      at: entry.at,
      level: entry.level,
      action: entry.action,
      detail: entry.detail,
    };
    checkEntitySize(entity, `log entry for ${entry.contactKey}`);
    return ['create', entity];
  });
  for (let i = 0; i < actions.length; i += TRANSACTION_LIMIT) {
    const chunk = actions.slice(i, i + TRANSACTION_LIMIT);
    await tableCall('append to the action log', () => log.submitTransaction(chunk));
  }
}

interface LogRow {
  contactKey: string;
  at: string;
  level: LogEntry['level'];
  action: string;
  detail: string;
}

export async function readLog(log: TableClient, accountId: string, contactKey: string): Promise<LogEntry[]> {
  const from = `${encodeKey(contactKey)}|`;
  const filter = odata`PartitionKey eq ${encodeKey(accountId)} and RowKey ge ${from} and RowKey lt ${prefixUpperBound(from)}`;
  return tableCall('read the action log', async () => {
    const entries: LogEntry[] = [];
    for await (const row of log.listEntities<LogRow>({ queryOptions: { filter } })) {
      entries.push({
        contactKey: row.contactKey,
        at: row.at,
        level: row.level,
        action: row.action,
        detail: row.detail,
      });
    }
    return entries;
  });
}
