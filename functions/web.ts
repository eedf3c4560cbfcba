import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { nodeDnsResolver } from '../shared/accounts/provider.js';
import { StorageQueueTransport } from '../shared/adapters/queue/storage-queue-transport.js';
import type { Principal } from '../shared/auth/principal.js';
import { QUEUE_NAMES } from '../shared/ports.js';
import { auditEntry, auditTenants } from '../shared/service/audit.js';
import type { WebDeps } from '../web/context.js';
import { handleWebRequest } from '../web/router.js';
import { TableSessionStore } from '../web/session/session-store.js';
import { type ApiContext, apiContext } from './api-context.js';
import type { Runtime } from './runtime.js';

/**
 * The agents' and administrators' web app (web/): one HTTP function on the catch-all route at
 * the site root. The Functions host matches the more specific /api routes first, so every API
 * route stays where it is; this function sees everything else.
 */
let current: { config: Runtime['config']; web: Promise<WebDeps> } | undefined;

/** The same token validator and audit log as the API (functions/api-context.ts). */
async function buildWebDeps(api: ApiContext): Promise<WebDeps> {
  const { config, deps } = api.rt;
  const sessions = await TableSessionStore.create<Principal>({ connectionString: config.storageConnection });
  const queue = deps.queue;
  return {
    deps,
    sessions,
    validateAccessToken: api.validate,
    audit: async ({ principal, account, action, outcome, detail }) =>
      api.audit.record(
        auditEntry(principal, deps.clock.now(), {
          action,
          tenantId: account.tenantId,
          accountId: account.id,
          outcome,
          detail,
        }),
      ),
    readAudit: async (principal) =>
      (await api.audit.list({ tenants: auditTenants(principal), limit: 50 })).map((e) => ({
        at: e.at,
        who: e.actor,
        action: e.action,
        account: e.accountId,
        outcome: e.outcome,
      })),
    oidc: {
      authorityHost: config.graph.authorityHost,
      tenant: config.web.signInTenant,
      clientId: config.web.clientId,
      scope: `${config.api.audiences[1] ?? `api://${config.api.clientId}`}/access_as_user`,
    },
    appClientId: config.graph.clientId,
    appDisplayName: config.web.appDisplayName,
    legacyAppDisplayName: config.web.legacyAppDisplayName,
    migration: {
      resolver: nodeDnsResolver,
      graphApp: config.graph,
      publicBaseUrl: config.publicBaseUrl,
    },
    wallNow: () => deps.wallClock.now().getTime(),
    // The local stack's poison queues are readable; Service Bus dead-letter queues are not from here.
    ...(queue instanceof StorageQueueTransport
      ? { deadLetters: async () => (await Promise.all(QUEUE_NAMES.map((q) => queue.peekPoison(q)))).flat() }
      : {}),
  };
}

async function webDeps(): Promise<WebDeps> {
  const api = await apiContext();
  // The local stack may install a new runtime (its URL known only once it listens): rebuild then.
  if (current?.config !== api.rt.config) current = { config: api.rt.config, web: buildWebDeps(api) };
  return current.web;
}

export async function webApp(request: HttpRequest): Promise<HttpResponseInit> {
  return handleWebRequest(await webDeps(), request);
}
