import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureLocalCertificate } from '../../local/tls.js';
import { ensureTable, isTableServiceUrl, tableClientFor } from '../../shared/adapters/tables/table-client.js';

/**
 * Table Storage without shared keys (issue 15): given the table service URL, the adapter signs
 * its requests with a Microsoft Entra ID token for `https://storage.azure.com/.default` from the
 * credential (DefaultAzureCredential in Azure: the managed identity), never with SharedKey.
 * learn.microsoft.com/azure/storage/tables/authorize-access-azure-active-directory
 * A local https server stands in for the table endpoint and records what arrives.
 */
let server: ReturnType<typeof createServer>;
let url: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  const cert = await ensureLocalCertificate(inject('tlsDir'));
  server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(204, { 'x-ms-version': '2019-02-02' }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('table storage by URL and identity', () => {
  it('tells the URL form from a connection string', () => {
    expect(isTableServiceUrl('https://stabc.table.core.windows.net/')).toBe(true);
    expect(isTableServiceUrl('UseDevelopmentStorage=true')).toBe(false);
    expect(isTableServiceUrl('DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k;')).toBe(false);
  });

  it('sends an Entra ID bearer token for storage and no shared key', async () => {
    const scopes: string[] = [];
    const credential: TokenCredential = {
      async getToken(scope): Promise<AccessToken> {
        scopes.push(...([] as string[]).concat(scope));
        return { token: 'entra-token-for-storage', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    await ensureTable(tableClientFor({ connectionString: url, credential }, 'audit'));
    expect(scopes).toContain('https://storage.azure.com/.default');
    const authorizations = seen.map((h) => h.authorization ?? '');
    expect(authorizations).toContain('Bearer entra-token-for-storage');
    expect(authorizations.some((a) => /SharedKey/i.test(a))).toBe(false);
  });
});
