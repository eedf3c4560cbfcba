import { randomBytes } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { SyncError } from '../../errors.js';
import type { LogEntry } from '../../sync/link.js';
import { checkEntitySize } from './entity-size.js';
import { encodeKey, prefixUpperBound } from './key-encoding.js';
import { tableCall } from './table-errors.js';

/**
 * The per-contact action log. The log is partitioned by account and month (`<enc accountId>|<YYYY-MM>` of the
 * entry's time), so no account grows one unbounded partition and the retention timer drops
 * old months as whole partitions. Log row key: `<enc contactKey>|<ms since epoch, 15 digits>|
 * <counter><random>`: one contact's entries of a month are one key range, sorted by time, then
 * by the order they were appended; reading a contact's log is that range in each of the
 * account's partitions (a partition-range query: a handful of months under the retention).
 * Rows written before the monthly layout (partition `<enc accountId>`) are read and pruned too.
 */

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

/** The month partition of an account's log entry. */
function logPartition(accountId: string, at: string): string {
  return `${encodeKey(accountId)}|${new Date(Date.parse(at)).toISOString().slice(0, 7)}`;
}

/** `'|'` sorts after every character of an encoded key, `'~'` after every character of a month. */
function monthsRange(accountId: string, beforeMonth?: string): string {
  const base = encodeKey(accountId);
  return odata`PartitionKey gt ${`${base}|`} and PartitionKey lt ${beforeMonth ? `${base}|${beforeMonth}` : `${base}|~`}`;
}

export async function appendLog(log: TableClient, accountId: string, entries: LogEntry[]): Promise<void> {
  // A transaction holds rows of one partition only: one batch per month.
  const byPartition = new Map<string, TransactionAction[]>();
  for (const entry of entries) {
    const entity = {
      partitionKey: '',
      rowKey: logRowKey(entry.contactKey, entry.at),
      contactKey: entry.contactKey,
      at: entry.at,
      level: entry.level,
      action: entry.action,
      detail: entry.detail,
    };
    entity.partitionKey = logPartition(accountId, entry.at);
    checkEntitySize(entity, `log entry for ${entry.contactKey}`);
    byPartition.set(entity.partitionKey, [
      ...(byPartition.get(entity.partitionKey) ?? []),
      ['create', entity],
    ]);
  }
  for (const actions of byPartition.values()) {
    for (let i = 0; i < actions.length; i += TRANSACTION_LIMIT) {
      const chunk = actions.slice(i, i + TRANSACTION_LIMIT);
      await tableCall('append to the action log', () => log.submitTransaction(chunk));
    }
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
  const rows = odata`RowKey ge ${from} and RowKey lt ${prefixUpperBound(from)}`;
  const legacy = odata`PartitionKey eq ${encodeKey(accountId)}`;
  const filter = `((${legacy}) or (${monthsRange(accountId)})) and ${rows}`;
  return tableCall('read the action log', async () => {
    const entries: LogEntry[] = [];
    // Partitions come in key order: the legacy one, then the months ascending.
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

/**
 * Removes up to `limit` log entries of the account older than `before`: whole months before
 * the cutoff's month first, then the entries of the cutoff's month (and of the legacy
 * partition) older than the cutoff. Returns how many went; fewer than `limit` means none is left.
 */
export async function pruneLog(
  log: TableClient,
  accountId: string,
  before: Date,
  limit: number,
): Promise<number> {
  const month = before.toISOString().slice(0, 7);
  const base = encodeKey(accountId);
  const edge = odata`(PartitionKey eq ${`${base}|${month}`} or PartitionKey eq ${base}) and at lt ${before.toISOString()}`;
  const keys: { partitionKey: string; rowKey: string }[] = [];
  for (const filter of [monthsRange(accountId, month), edge]) {
    if (keys.length >= limit) break;
    await tableCall('find old action-log entries', async () => {
      const query = log.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } });
      for await (const row of query) {
        keys.push({ partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '' });
        if (keys.length >= limit) break;
      }
    });
  }
  const byPartition = new Map<string, TransactionAction[]>();
  for (const key of keys)
    byPartition.set(key.partitionKey, [...(byPartition.get(key.partitionKey) ?? []), ['delete', key]]);
  for (const actions of byPartition.values()) {
    for (let i = 0; i < actions.length; i += TRANSACTION_LIMIT) {
      const chunk = actions.slice(i, i + TRANSACTION_LIMIT);
      await tableCall('remove old action-log entries', () => log.submitTransaction(chunk));
    }
  }
  return keys.length;
}
