import { randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureLocalCertificate } from '../../tls.js';
import { createAdmin } from './admin.js';
import { GraphApp } from './app.js';
import { createRequestHandler } from './server.js';
import type { GraphEmulatorAdmin, GraphEmulatorOptions, RunningGraphEmulator } from './types.js';

export type { Fault } from './faults.js';
export type { LoggedRequest, RequestLogSummary } from './request-log.js';
export type {
  CreateMailboxInput,
  GraphEmulatorAdmin,
  GraphEmulatorOptions,
  MailboxInfo,
  RunningGraphEmulator,
  SubscriptionInfo,
  ThrottleOptions,
} from './types.js';

/** A fixed tenant GUID, so local settings stay valid across restarts. */
export const DEFAULT_TENANT_ID = '6f1c4a3e-2b7d-4c59-9a1e-0d5b8e7f3c21';
export const DEFAULT_CLIENT_ID = 'graph-emulator-client';
/** A second tenant, for isolation tests: its users sign in like the first tenant's. */
export const SECOND_TENANT_ID = '3b9e2d71-5c4a-4f08-b6d2-7a1e9c0f4b58';
export const DEFAULT_SERVICE_CLIENT_ID = 'crm-backend-service';
export const DEFAULT_WEB_CLIENT_ID = 'sync-web-app';

/**
 * Starts the Graph emulator over HTTPS on 127.0.0.1: Graph v1.0 under `/v1.0`, the Entra
 * endpoints under `/{tenant}/…` (same origin, so it is also the authority host), and the
 * admin API under `/_emulator/`.
 */
export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<RunningGraphEmulator> {
  const cert = await ensureLocalCertificate(options.tlsDir);
  let app: GraphApp | undefined;
  let admin: GraphEmulatorAdmin | undefined;
  const server = createServer(
    { cert: cert.certPem, key: cert.keyPem },
    createRequestHandler(
      () => app!,
      () => admin!,
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settings = {
    origin,
    tenantId: options.tenantId ?? DEFAULT_TENANT_ID,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? randomBytes(24).toString('base64url'),
    serviceClientId: options.serviceClientId ?? DEFAULT_SERVICE_CLIENT_ID,
    serviceClientSecret: options.serviceClientSecret ?? randomBytes(24).toString('base64url'),
    webClientId: options.webClientId ?? DEFAULT_WEB_CLIENT_ID,
    options,
  };
  app = new GraphApp(settings);
  admin = createAdmin(app);
  const running = app;
  return {
    url: origin,
    authorityHost: origin,
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    apiClientId: settings.clientId,
    apiScope: `api://${settings.clientId}/access_as_user`,
    serviceClientId: settings.serviceClientId,
    serviceClientSecret: settings.serviceClientSecret,
    webClientId: settings.webClientId,
    caPath: cert.caPath,
    admin,
    async stop() {
      running.notifier.stop();
      running.subscriptions.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
