import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type CrmEmulatorAdmin, createAdmin } from './admin.js';
import { adminRoutes } from './admin-routes.js';
import { contactRoutes } from './contact-routes.js';
import { emailAdminRoutes, emailRoutes } from './email-routes.js';
import { EmailStore } from './email-store.js';
import { Faults } from './faults.js';
import { RequestLog } from './request-log.js';
import { createCrmServer } from './server.js';
import { ContactStore } from './store.js';
import { WebhookDispatcher } from './webhooks.js';

/**
 * The CRM emulator (DESIGN section 7): the contacts API with bearer auth, versions and
 * ETags, signed at-least-once webhooks, fault injection and an admin API. Tests start it
 * in process on a free port; `npm run emulator:crm` runs main.ts.
 */

export type { CrmEmulatorAdmin } from './admin.js';
export type { DeliveryRecord, Webhook } from './deliver.js';
export type { CrmFault } from './faults.js';
export type { RequestLogSummary } from './request-log.js';

export interface CrmEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The bearer token clients must send; a random one by default. */
  token?: string;
  clock?: () => Date;
  /** Delays before each webhook retry; the delivery is given up after the last one. */
  retryDelaysMs?: number[];
  /** How long reordered events wait for the rest of their batch (default 200 ms). */
  reorderWindowMs?: number;
  log?: (line: string) => void;
}

export interface RunningCrmEmulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:7080 */
  url: string;
  token: string;
  admin: CrmEmulatorAdmin;
  stop(): Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [500, 2_000, 10_000, 30_000, 60_000];

export async function startCrmEmulator(options: CrmEmulatorOptions = {}): Promise<RunningCrmEmulator> {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? (() => {});
  const token = options.token ?? randomBytes(24).toString('base64url');
  const faults = new Faults();
  const requestLog = new RequestLog();
  const dispatcher = new WebhookDispatcher({
    clock,
    faults,
    log,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    reorderWindowMs: options.reorderWindowMs ?? 200,
  });
  const store = new ContactStore(clock, (change) => dispatcher.emit(change));
  const emails = new EmailStore();
  const admin = createAdmin({ store, emails, faults, dispatcher, requestLog });
  const server = createCrmServer({
    token,
    apiRoutes: [...contactRoutes(store), ...emailRoutes(emails, store)],
    adminRoutes: [...adminRoutes(admin), ...emailAdminRoutes(emails)],
    faults,
    requestLog,
    clock,
    log,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    admin,
    async stop() {
      dispatcher.reset();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
