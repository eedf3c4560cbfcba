import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { isStatus, toTableSyncError } from './table-errors.js';

/**
 * How every table adapter is configured. `connectionString` is either the table service URL
 * (`https://<account>.table.core.windows.net`: Microsoft Entra ID through
 * DefaultAzureCredential — the managed identity in Azure, where shared keys are switched off)
 * or a connection string (Azurite locally).
 */
export interface TableConnection {
  connectionString: string;
  /** For the URL form; default: one DefaultAzureCredential per process. */
  credential?: TokenCredential;
  /** Needed for http endpoints (Azurite); defaults to true when the connection string is http. */
  allowInsecureConnection?: boolean;
}

export function isHttpConnectionString(connectionString: string): boolean {
  return /DefaultEndpointsProtocol=http;|UseDevelopmentStorage=true|Endpoint=http:\/\//i.test(
    connectionString,
  );
}

/** True for the identity-based form: a table service URL instead of a connection string. */
export function isTableServiceUrl(connection: string): boolean {
  return /^https?:\/\/[^;\s]+$/i.test(connection.trim());
}

let defaultCredential: TokenCredential | undefined;

export function tableClientFor(connection: TableConnection, tableName: string): TableClient {
  if (isTableServiceUrl(connection.connectionString)) {
    defaultCredential ??= new DefaultAzureCredential();
    const url = connection.connectionString.trim().replace(/\/+$/, '');
    return new TableClient(url, tableName, connection.credential ?? defaultCredential, {
      allowInsecureConnection: connection.allowInsecureConnection ?? false,
    });
  }
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
