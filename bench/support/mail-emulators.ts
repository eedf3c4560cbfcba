import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCrmEmulator } from '../../local/emulators/crm/index.js';
import { startGraphEmulator } from '../../local/emulators/graph/index.js';
import { addUsers, demoUsers, userToken } from '../../local/stack-identity.js';

/**
 * The Graph and CRM emulators of the mail-import benchmark in a process of their own, so the
 * benchmark's memory figure is the product's: a 10,000-message mailbox, its delta pages and
 * the CRM's e-mails live in the emulators, not in the product, and in one process they were
 * counted as the product's. The product (the host, in the benchmark's process) is pointed at
 * them through the settings a deployment uses (GRAPH_*, CRM_*); the stack's own in-process
 * emulators stay empty. Driven over IPC (admin calls) and over HTTP (mail, e-mails).
 */

export interface RemoteEmulators {
  /** Settings that point the product at these emulators. */
  settings: Record<string, string>;
  graphUrl: string;
  crmUrl: string;
  /** An API token of the tenant's administrator (for POST /api/accounts). */
  adminToken: string;
  call<T = unknown>(op: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

interface Ready {
  settings: Record<string, string>;
  graphUrl: string;
  crmUrl: string;
  adminToken: string;
}

type Request = { id: number; op: string; args?: unknown };
type Reply = { id: number; result?: unknown; error?: string } | { ready: Ready } | { failed: string };

export async function startRemoteEmulators(
  tlsDir: string,
  graph: Record<string, unknown>,
  crmRetryDelaysMs: number[],
): Promise<RemoteEmulators> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_MAIL_EMULATORS_CHILD: JSON.stringify({ tlsDir, graph, crmRetryDelaysMs }) },
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator process exited (${code})`)));
    child.on('message', (raw) => {
      const reply = raw as Reply;
      if ('ready' in reply) return resolve(reply.ready);
      if ('failed' in reply) return reject(new Error(reply.failed));
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (reply.error !== undefined) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply.result);
    });
  });
  return {
    ...ready,
    call: <T>(op: string, args?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args } satisfies Request);
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---------------------------------------------------------------- the child

async function child(config: { tlsDir: string; graph: Record<string, unknown>; crmRetryDelaysMs: number[] }) {
  const graph = await startGraphEmulator({ tlsDir: config.tlsDir, port: 0, ...config.graph });
  const users = demoUsers();
  addUsers(graph, [users.agent, users.admin]);
  const crm = await startCrmEmulator({ port: 0, retryDelaysMs: config.crmRetryDelaysMs });
  let rssPeak = process.memoryUsage().rss;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 100);
  const ops: Record<string, (args: never) => unknown> = {
    createMailbox: (args: { mail: string }) => {
      graph.admin.createMailbox(args);
      return null;
    },
    seedContacts: (args: Parameters<typeof crm.admin.seed>[0]) => crm.admin.seed(args).length,
    graphRequests: () => graph.admin.requests().byRoute,
    crmRequests: () => crm.admin.requests().api.counts,
    clearRequests: () => {
      graph.admin.clearRequests();
      crm.admin.clearRequests();
      return null;
    },
    idle: async () => {
      await Promise.all([graph.admin.idle(), crm.admin.idle()]);
      return null;
    },
    /** This process's memory since the last reset: what the emulators took. */
    memory: () => ({ rssPeakMb: Math.round(rssPeak / 1e6), heapPeakMb: Math.round(heapPeak / 1e6) }),
  };
  process.on('message', async (raw) => {
    const { id, op, args } = raw as Request;
    try {
      const handler = ops[op];
      if (!handler) throw new Error(`unknown op ${op}`);
      process.send?.({ id, result: await handler(args as never) });
    } catch (error) {
      process.send?.({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  process.on('SIGTERM', async () => {
    clearInterval(sampler);
    await Promise.allSettled([graph.stop(), crm.stop()]);
    process.exit(0);
  });
  const admin = await userToken(graph, users.admin.mail, users.admin.password);
  const ready: Ready = {
    graphUrl: graph.url,
    crmUrl: crm.url,
    adminToken: admin.token,
    settings: {
      GRAPH_BASE_URL: graph.url,
      GRAPH_AUTHORITY_HOST: graph.authorityHost,
      GRAPH_TENANT_ID: graph.tenantId,
      GRAPH_CLIENT_ID: graph.clientId,
      GRAPH_CLIENT_SECRET: graph.clientSecret,
      WEB_CLIENT_ID: graph.webClientId,
      GRAPH_CA_CERT: graph.caPath,
      CRM_BASE_URL: crm.url,
      CRM_TOKEN: crm.token,
      AUTH_SERVICE_TENANTS: graph.tenantId,
    },
  };
  process.send?.({ ready });
}

const childConfig = process.env.BENCH_MAIL_EMULATORS_CHILD;
if (childConfig) {
  child(JSON.parse(childConfig)).catch((error: unknown) => {
    process.send?.({ failed: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
}
