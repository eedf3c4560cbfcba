import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureLocalCertificate } from '../../../local/tls.js';

/**
 * Just enough of the Key Vault secrets REST API for the adapter's calls
 * (learn.microsoft.com/rest/api/keyvault/secrets): Set Secret (PUT /secrets/{name}), Get Secret
 * (GET /secrets/{name}/{version}, 404 SecretNotFound), Delete Secret (DELETE /secrets/{name},
 * then the deleted secret under /deletedsecrets/{name}), Get Deleted Secret, Purge Deleted
 * Secret (DELETE /deletedsecrets/{name}: 204, or 403 when purge protection is on), Recover
 * (POST /deletedsecrets/{name}/recover); Set Secret on a name that is soft-deleted is 409
 * Conflict. Requests without a bearer token get the 401 challenge the SDK expects.
 */
export interface FakeKeyVault {
  url: string;
  secrets: Map<string, string>;
  deleted: Map<string, string>;
  purgeProtection: boolean;
  requests: string[];
  stop(): Promise<void>;
}

export async function startFakeKeyVault(tlsDir: string): Promise<FakeKeyVault> {
  const cert = await ensureLocalCertificate(tlsDir);
  const vault = {
    secrets: new Map<string, string>(),
    deleted: new Map<string, string>(),
    purgeProtection: false,
    requests: [] as string[],
  };
  let origin = '';
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', origin);
      const reply = (status: number, body?: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      if (!req.headers.authorization?.startsWith('Bearer ')) {
        res.writeHead(401, {
          'WWW-Authenticate':
            'Bearer authorization="https://login.microsoftonline.com/tenant", resource="https://vault.azure.net"',
        });
        res.end();
        return;
      }
      vault.requests.push(`${req.method} ${url.pathname}`);
      const parts = url.pathname.split('/').filter(Boolean);
      const [kind, name, extra] = parts;
      const bundle = (n: string, value?: string) => ({
        id: `${origin}/secrets/${n}/v1`,
        ...(value === undefined ? {} : { value }),
        attributes: { enabled: true, created: 1, updated: 1, recoveryLevel: 'Recoverable' },
      });
      const deletedBundle = (n: string) => ({
        ...bundle(n),
        recoveryId: `${origin}/deletedsecrets/${n}`,
        deletedDate: 1,
        scheduledPurgeDate: 2,
      });
      if (kind === 'secrets' && name && req.method === 'PUT') {
        if (vault.deleted.has(name))
          return reply(409, {
            error: { code: 'Conflict', message: 'Secret is currently in a deleted but recoverable state' },
          });
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value: string };
        vault.secrets.set(name, body.value);
        return reply(200, bundle(name, body.value));
      }
      if (kind === 'secrets' && name && req.method === 'GET') {
        const value = vault.secrets.get(name);
        return value === undefined
          ? reply(404, {
              error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found` },
            })
          : reply(200, bundle(name, value));
      }
      if (kind === 'secrets' && name && req.method === 'DELETE') {
        const value = vault.secrets.get(name);
        if (value === undefined)
          return reply(404, { error: { code: 'SecretNotFound', message: 'not found' } });
        vault.secrets.delete(name);
        vault.deleted.set(name, value);
        return reply(200, deletedBundle(name));
      }
      if (kind === 'deletedsecrets' && name && !extra && req.method === 'GET')
        return vault.deleted.has(name)
          ? reply(200, deletedBundle(name))
          : reply(404, { error: { code: 'SecretNotFound', message: 'not found' } });
      if (kind === 'deletedsecrets' && name && !extra && req.method === 'DELETE') {
        if (!vault.deleted.has(name))
          return reply(404, { error: { code: 'SecretNotFound', message: 'not found' } });
        if (vault.purgeProtection)
          return reply(403, { error: { code: 'ForbiddenByPolicy', message: 'purge protection is enabled' } });
        vault.deleted.delete(name);
        return reply(204);
      }
      if (kind === 'deletedsecrets' && name && extra === 'recover' && req.method === 'POST') {
        const value = vault.deleted.get(name);
        if (value === undefined)
          return reply(404, { error: { code: 'SecretNotFound', message: 'not found' } });
        vault.deleted.delete(name);
        vault.secrets.set(name, value);
        return reply(200, bundle(name));
      }
      reply(400, { error: { code: 'BadParameter', message: `${req.method} ${url.pathname}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(vault, {
    url: origin,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
