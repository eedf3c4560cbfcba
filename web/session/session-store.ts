import { createHash, randomBytes } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import {
  ensureTable,
  readEntity,
  type TableConnection,
  tableClientFor,
} from '../../shared/adapters/tables/table-client.js';
import { isStatus, toTableSyncError } from '../../shared/adapters/tables/table-errors.js';
import { TABLE_NAMES } from '../../shared/adapters/tables/table-names.js';

/**
 * Server-side web sessions in Table Storage, so any instance serves any request. The cookie
 * carries a random 256-bit id; the table row is keyed by its SHA-256, so someone who can read
 * the table cannot use a row to sign in. No token is stored: the access token is validated
 * once at sign-in and the row keeps the principal it proved, until the token's expiry.
 */

export interface SignInFlow {
  state: string;
  verifier: string;
  nonce: string;
  /** What to do once signed in: go somewhere, or carry on a migration. */
  intent:
    | { kind: 'signIn'; returnTo: string }
    | { kind: 'migrate'; accountId: string; provider: 'microsoft365' | null }
    | { kind: 'adminConsent'; accountId: string };
  startedAt: number;
}

export interface SessionData<P> {
  principal: P | null;
  displayName: string | null;
  csrf: string;
  /** ms since the epoch; the session is void from then on. */
  expiresAt: number;
  flow: SignInFlow | null;
  /** One-time message for the next page (set before a redirect). */
  notice: { tone: 'ok' | 'error'; text: string } | null;
}

export interface SessionStore<P> {
  get(id: string, now: number): Promise<SessionData<P> | null>;
  put(id: string, data: SessionData<P>): Promise<void>;
  delete(id: string): Promise<void>;
  /** Removes up to `max` sessions that expired before `now` (called as sign-ins start). */
  sweep(now: number, max: number): Promise<number>;
}

const PARTITION = 'session';
/** A session id: 32 random bytes, base64url. */
const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const rowKeyOf = (id: string) => createHash('sha256').update(id).digest('hex');

export class TableSessionStore<P> implements SessionStore<P> {
  constructor(private readonly table: TableClient) {}

  static async create<P>(
    connection: TableConnection & { tableName?: string },
  ): Promise<TableSessionStore<P>> {
    const table = tableClientFor(connection, connection.tableName ?? TABLE_NAMES.webSessions);
    await ensureTable(table);
    return new TableSessionStore<P>(table);
  }

  async get(id: string, now: number): Promise<SessionData<P> | null> {
    if (!ID_SHAPE.test(id)) return null;
    const row = await readEntity<{ data: string }>(this.table, PARTITION, rowKeyOf(id));
    if (!row) return null;
    const data = JSON.parse(row.data) as SessionData<P>;
    return data.expiresAt > now ? data : null;
  }

  async put(id: string, data: SessionData<P>): Promise<void> {
    try {
      await this.table.upsertEntity(
        {
          partitionKey: PARTITION,
          rowKey: rowKeyOf(id),
          expiresAt: data.expiresAt,
          data: JSON.stringify(data),
        },
        'Replace',
      );
    } catch (thrown) {
      throw toTableSyncError(thrown, 'write a web session');
    }
  }

  async sweep(now: number, max: number): Promise<number> {
    let removed = 0;
    try {
      const expired = this.table.listEntities<{ expiresAt: number }>({
        queryOptions: {
          filter: odata`PartitionKey eq ${PARTITION} and expiresAt lt ${now}`,
          select: ['rowKey'],
        },
      });
      for await (const row of expired) {
        if (removed >= max) break;
        await this.table.deleteEntity(PARTITION, row.rowKey ?? '').catch(() => undefined);
        removed++;
      }
    } catch (thrown) {
      throw toTableSyncError(thrown, 'sweep expired web sessions');
    }
    return removed;
  }

  async delete(id: string): Promise<void> {
    if (!ID_SHAPE.test(id)) return;
    try {
      await this.table.deleteEntity(PARTITION, rowKeyOf(id));
    } catch (thrown) {
      if (!isStatus(thrown, 404)) throw toTableSyncError(thrown, 'delete a web session');
    }
  }
}

/** For unit tests of the web handlers. */
export class MemorySessionStore<P> implements SessionStore<P> {
  readonly rows = new Map<string, SessionData<P>>();
  async get(id: string, now: number) {
    const data = this.rows.get(rowKeyOf(id));
    return data && data.expiresAt > now ? structuredClone(data) : null;
  }
  async put(id: string, data: SessionData<P>) {
    this.rows.set(rowKeyOf(id), structuredClone(data));
  }
  async delete(id: string) {
    this.rows.delete(rowKeyOf(id));
  }
  async sweep(now: number, max: number) {
    let removed = 0;
    for (const [key, data] of this.rows) {
      if (removed >= max) break;
      if (data.expiresAt <= now) {
        this.rows.delete(key);
        removed++;
      }
    }
    return removed;
  }
}
