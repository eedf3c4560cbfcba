import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { inject } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import { ensureLocalCertificate } from '../../../local/tls.js';

/** The production client stack (real credential + Graph client) pointed at the emulator. */
export function graphClient(emulator: RunningGraphEmulator, secret = emulator.clientSecret): Client {
  const credential = new ClientSecretCredential(emulator.tenantId, emulator.clientId, secret, {
    authorityHost: emulator.authorityHost,
    disableInstanceDiscovery: true,
  });
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, {
      scopes: ['https://graph.microsoft.com/.default'],
    }),
    baseUrl: emulator.url,
    customHosts: new Set(['127.0.0.1']),
    defaultVersion: 'v1.0',
  });
}

/** A token from the emulator's token endpoint, for raw fetch calls. */
export async function accessToken(emulator: RunningGraphEmulator): Promise<string> {
  const response = await fetch(`${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A raw Graph call, so tests see exact statuses, headers and bodies. */
export async function call(
  emulator: RunningGraphEmulator,
  token: string | null,
  method: string,
  pathOrUrl: string,
  init: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${emulator.url}/v1.0${pathOrUrl}`;
  const headers: Record<string, string> = { ...init.headers };
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

export interface Received {
  path: string;
  body: { value: Record<string, unknown>[] };
}

/**
 * A tiny webhook receiver over https (Graph refuses http notification URLs; the certificate is
 * the local CA the test processes trust): answers the validation handshake (unless told not
 * to) and records POSTs. `failFirst` answers that many POSTs with 503; `failing()` switches
 * failing change notifications (`/notify`) on and off.
 */
export async function startSubscriber(behaviour: { validate?: boolean; failFirst?: number } = {}) {
  const received: Received[] = [];
  let failures = behaviour.failFirst ?? 0;
  let failAll = false;
  const cert = await ensureLocalCertificate(inject('tlsDir'));
  const server = createServer(
    { cert: cert.certPem, key: cert.keyPem },
    (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const token = url.searchParams.get('validationToken');
        if (token !== null) {
          if (behaviour.validate === false) {
            res.writeHead(200, { 'content-type': 'text/plain' }).end('wrong');
          } else {
            res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
          }
          return;
        }
        if ((failAll && url.pathname === '/notify') || failures > 0) {
          failures = Math.max(0, failures - 1);
          res.writeHead(503).end();
          return;
        }
        received.push({ path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(202).end();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    notifications: () => received.filter((r) => r.path === '/notify').flatMap((r) => r.body.value),
    lifecycle: () => received.filter((r) => r.path === '/lifecycle').flatMap((r) => r.body.value),
    failing: (on: boolean) => {
      failAll = on;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
