import { TableClient } from '@azure/data-tables';
import { isStatus, toTableSyncError } from './table-errors.js';

/** How every table adapter is configured: a connection string, or clients built elsewhere. */
export interface TableConnection {
  connectionString: string;
  /** Needed for http endpoints (Azurite); defaults to true when the connection string is http. */
  allowInsecureConnection?: boolean;
}

export function isHttpConnectionString(connectionString: string): boolean {
  return /DefaultEndpointsProtocol=http;|UseDevelopmentStorage=true|Endpoint=http:\/\//i.test(
    connectionString,
  );
}

export function tableClientFor(connection: TableConnection, tableName: string): TableClient {
  return TableClient.fromConnectionString(connection.connectionString, tableName, {
    allowInsecureConnection:
      connection.allowInsecureConnection ?? isHttpConnectionString(connection.connectionString),
  });
}

/** Creates the table when it is missing (409 TableAlreadyExists is success). */
export async function ensureTable(client: TableClient): Promise<void> {
  try {
    await client.createTable();
  } catch (thrown) {
    if (isStatus(thrown, 409)) return;
    throw toTableSyncError(thrown, `create table ${client.tableName}`);
  }
}

/** Reads one row; null when it does not exist. */
export async function readEntity<T extends object>(
  client: TableClient,
  partitionKey: string,
  rowKey: string,
): Promise<(T & { etag: string }) | null> {
  try {
    const entity = await client.getEntity<T>(partitionKey, rowKey);
    return entity as T & { etag: string };
  } catch (thrown) {
    if (isStatus(thrown, 404)) return null;
    throw toTableSyncError(thrown, `read from table ${client.tableName}`);
  }
}

/**
 * The new ETag of the row a transaction's first action wrote. The SDK's `getResponseForEntity`
 * misses it: a sub-response's row key comes from its Location header, URL-encoded
 * (`link%7C…`), and an update's has none. Sub-responses come in the order of the actions, so
 * without a key the first one is the first action's.
 */
export function etagOfFirstAction(
  response: { subResponses: readonly { rowKey?: string; etag?: string; status: number }[] },
  rowKey: string,
): string | undefined {
  const responses = response.subResponses;
  const byKey = responses.find((r) => r.rowKey !== undefined && decodeURIComponent(r.rowKey) === rowKey);
  if (byKey) return byKey.etag;
  const first = responses[0];
  return first !== undefined && first.rowKey === undefined && first.status < 300 ? first.etag : undefined;
}
