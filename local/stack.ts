import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { FUNCTION_DEFINITIONS } from '../functions/definitions.js';
import { buildRuntime, installRuntime, type Runtime } from '../functions/runtime.js';
import { StorageQueueTransport } from '../shared/adapters/queue/storage-queue-transport.js';
import { loadConfig, SETTINGS } from '../shared/config.js';
import type { RunningAzurite } from './azurite.js';
import { startAzurite } from './azurite.js';
import { type RunningCrmEmulator, startCrmEmulator } from './emulators/crm/index.js';
import { type RunningEwsEmulator, startEwsEmulator } from './emulators/ews/index.js';
import {
  type GraphEmulatorOptions,
  type RunningGraphEmulator,
  SECOND_TENANT_ID,
  startGraphEmulator,
} from './emulators/graph/index.js';
import { type RunningHost, startHost } from './host/host.js';
import { addUsers, type DemoUser, demoUsers, userToken } from './stack-identity.js';
import { ensureLocalCertificate } from './tls.js';

/**
 * The whole product on one machine: Azurite, the Graph, CRM and EWS emulators and the local
 * Functions host running every function, wired by the same environment variables a real
 * deployment uses. `npm start` runs it; the end-to-end tests start it in-process.
 * The calling process must trust the local CA (NODE_EXTRA_CA_CERTS at start): the Graph
 * emulator and the host's https listener (PUBLIC_BASE_URL, where Graph posts) both use it.
 */
export interface StackOptions {
  tlsDir: string;
  /** Azurite's data folder; omitted = in memory. */
  azuriteLocation?: string;
  azurite?: RunningAzurite;
  hostPort?: number;
  /** The host's https listener (PUBLIC_BASE_URL: Graph refuses http notification URLs); default 7072, or a free port when hostPort is 0. */
  hostHttpsPort?: number;
  graphPort?: number;
  crmPort?: number;
  /** The EWS emulator (an on-premises Exchange server, with the demo mailbox DEMO_EWS_*). */
  ewsPort?: number;
  /** Start instant of the product's clock (SYNC_CLOCK_START). */
  clockStart?: string;
  graph?: Pick<GraphEmulatorOptions, 'throttle' | 'notificationDelayMs' | 'notificationRetry' | 'latencyMs'>;
  crmRetryDelaysMs?: number[];
  /** Extra settings (e.g. faster timer schedules) layered over the stack's own. */
  settings?: Record<string, string>;
  queue?: {
    visibilityTimeoutMs?: number;
    pollIntervalMs?: number;
    retryBackoffMs?: number;
    concurrency?: number;
  };
  log?: (level: 'info' | 'warn' | 'error', line: string) => void;
}

export interface RunningStack {
  /** Every KEY=value a client of the stack needs (URLs and credentials). */
  env: Record<string, string>;
  host: RunningHost;
  graph: RunningGraphEmulator;
  crm: RunningCrmEmulator;
  /** An on-premises Exchange server over EWS (issue 18), with the demo on-premises mailbox. */
  ews: RunningEwsEmulator;
  /** The demo on-premises mailbox's sign-in (also in env as EWS_URL, EWS_USERNAME, EWS_PASSWORD, EWS_EMAIL). */
  onPremises: DemoOnPremisesMailbox;
  transport: StorageQueueTransport;
  runtime: Runtime;
  /** The demo agent and the demo tenant administrator (users of the Graph emulator's default tenant). */
  users: { agent: DemoUser; admin: DemoUser };
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? ((level, line) => (level === 'error' ? console.error(line) : console.log(line)));
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log('error', `stop: ${String(e)}`));
  };
  try {
    const azurite =
      options.azurite ??
      (await startAzurite(options.azuriteLocation ? { location: options.azuriteLocation } : {}));
    if (!options.azurite) stops.push(() => azurite.stop());
    const graph = await startGraphEmulator({
      tlsDir: options.tlsDir,
      port: options.graphPort ?? 0,
      ...options.graph,
    });
    stops.push(() => graph.stop());
    const users = demoUsers();
    addUsers(graph, [users.agent, users.admin]);
    const crm = await startCrmEmulator({
      port: options.crmPort ?? 0,
      ...(options.crmRetryDelaysMs ? { retryDelaysMs: options.crmRetryDelaysMs } : {}),
    });
    stops.push(() => crm.stop());
    const ews = await startEwsEmulator({ tlsDir: options.tlsDir, port: options.ewsPort ?? 0 });
    stops.push(() => ews.stop());
    const onPremises = addDemoOnPremisesMailbox(ews);

    const hostPort = options.hostPort ?? 7071;
    const webhookSecret = randomBytes(24).toString('base64url');
    const env: Record<string, string> = {
      STORAGE_CONNECTION: azurite.connectionString,
      QUEUE_TRANSPORT: 'storage',
      GRAPH_BASE_URL: graph.url,
      GRAPH_AUTHORITY_HOST: graph.authorityHost,
      GRAPH_TENANT_ID: graph.tenantId,
      GRAPH_CLIENT_ID: graph.clientId,
      GRAPH_CLIENT_SECRET: graph.clientSecret,
      WEB_CLIENT_ID: graph.webClientId,
      GRAPH_CA_CERT: graph.caPath,
      CRM_BASE_URL: crm.url,
      CRM_TOKEN: crm.token,
      CRM_WEBHOOK_SECRET: webhookSecret,
      // The service caller (SERVICE_CLIENT_ID) manages the default tenant's accounts.
      AUTH_SERVICE_TENANTS: graph.tenantId,
      // On-premises passwords, encrypted at rest (a key of this run unless one is given).
      SECRETS_KEY: randomBytes(32).toString('hex'),
      ...(options.clockStart ? { SYNC_CLOCK_START: options.clockStart } : {}),
      ...options.settings,
    };
    // Port 0 asks for a free port: the host's https URL is known only once it listens, so the
    // runtime is rebuilt with the real PUBLIC_BASE_URL then.
    const hostHttpsPort = options.hostHttpsPort ?? (hostPort === 0 ? 0 : 7072);
    let publicBaseUrl = `https://127.0.0.1:${hostHttpsPort}`;
    const config = () => loadConfig({ ...env, PUBLIC_BASE_URL: publicBaseUrl });
    const runtime = await buildRuntime(config(), (line) => log('info', line));
    installRuntime(runtime);
    const transport = await StorageQueueTransport.create({ connectionString: azurite.connectionString });
    const cert = await ensureLocalCertificate(options.tlsDir);
    const schedules = new Map<string, string>(
      SETTINGS.map((s) => [s.name, env[s.name] ?? ('default' in s ? s.default : '')]),
    );
    const masterKey = randomBytes(24).toString('base64url');
    const host = await startHost({
      definitions: FUNCTION_DEFINITIONS,
      masterKey,
      transport,
      schedule: (name) => schedules.get(name) ?? '0 0 0 1 1 *',
      port: hostPort,
      https: { certPem: cert.certPem, keyPem: cert.keyPem, port: hostHttpsPort },
      log,
      ...(options.queue ? { queue: options.queue } : {}),
    });
    stops.push(() => host.stop());
    if (host.httpsUrl === null) throw new Error('the host did not start its https listener');
    if (host.httpsUrl !== publicBaseUrl) {
      publicBaseUrl = host.httpsUrl;
      const settled = await buildRuntime(config(), (line) => log('info', line));
      Object.assign(runtime, settled);
    }
    env.PUBLIC_BASE_URL = host.httpsUrl;
    env.FUNCTIONS_BASE_URL = host.url;
    env.FUNCTIONS_MASTER_KEY = masterKey;
    Object.assign(env, await identityLines(graph, users));
    // The on-premises server and its demo mailbox, as `npm run emulator:ews` prints them.
    Object.assign(env, {
      EWS_URL: ews.ewsUrl,
      EWS_USERNAME: onPremises.username,
      EWS_PASSWORD: onPremises.password,
      EWS_EMAIL: onPremises.smtp,
      EWS_CA_CERT: ews.caPath,
    });
    await crm.admin.addWebhook({ url: `${host.url}/api/crm/events`, secret: webhookSecret });
    return { env, host, graph, crm, ews, onPremises, transport, runtime, users, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface DemoOnPremisesMailbox {
  smtp: string;
  /** `DOMAIN\user`, as the migrate form takes it. */
  username: string;
  password: string;
}

/** The demo agent's mailbox on the on-premises server (a fresh password every start). */
export function addDemoOnPremisesMailbox(ews: RunningEwsEmulator): DemoOnPremisesMailbox {
  const mailbox = {
    smtp: 'max.makler@immobilien-mueller.example',
    user: 'max',
    domain: 'MUELLER',
    password: `Ews-${randomBytes(9).toString('base64url')}`,
  };
  ews.admin.createMailbox(mailbox);
  return { smtp: mailbox.smtp, username: `${mailbox.domain}\\${mailbox.user}`, password: mailbox.password };
}

/** What a person or script needs to call the API: the scope, the demo sign-ins and ready tokens. */
async function identityLines(
  graph: RunningGraphEmulator,
  users: { agent: DemoUser; admin: DemoUser },
): Promise<Record<string, string>> {
  const [agent, admin] = await Promise.all([
    userToken(graph, users.agent.mail, users.agent.password),
    userToken(graph, users.admin.mail, users.admin.password),
  ]);
  return {
    API_CLIENT_ID: graph.apiClientId,
    API_SCOPE: graph.apiScope,
    // A second tenant of the emulator, for trying tenant isolation (README "Sign-in").
    GRAPH_SECOND_TENANT_ID: SECOND_TENANT_ID,
    WEB_CLIENT_ID: graph.webClientId,
    SERVICE_CLIENT_ID: graph.serviceClientId,
    SERVICE_CLIENT_SECRET: graph.serviceClientSecret,
    DEMO_AGENT_LOGIN: users.agent.mail,
    DEMO_AGENT_PASSWORD: users.agent.password,
    DEMO_ADMIN_LOGIN: users.admin.mail,
    DEMO_ADMIN_PASSWORD: users.admin.password,
    DEMO_AGENT_TOKEN: agent.token,
    DEMO_ADMIN_TOKEN: admin.token,
  };
}

export function defaultDataDir(root: string): { tlsDir: string; azuriteLocation: string } {
  return { tlsDir: join(root, 'tls'), azuriteLocation: join(root, 'azurite') };
}
