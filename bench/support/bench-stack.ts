import { startAzurite } from '../../local/azurite.js';
import { CrmUser } from '../../local/clients/crm-user.js';
import { OutlookUser } from '../../local/clients/outlook.js';
import { type RunningStack, type StackOptions, startStack } from '../../local/stack.js';
import { QUEUE_NAMES } from '../../shared/ports.js';

/** Timer schedules that never fire during a run: scenarios run timers themselves. */
const NEVER = '0 0 0 1 1 *';

export interface BenchStack extends RunningStack {
  outlook: OutlookUser;
  crmUser: CrmUser;
  /** Waits until both emulators delivered everything and both queues are empty, twice in a row. */
  settle(timeoutMs?: number): Promise<void>;
  /** POST /api/accounts; resolves with the account once it answered 201 (the initial sync may still run). */
  register(mailbox: string): Promise<{ id: string }>;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }>;
  /** Host log lines (info lines only when BENCH_LOG is set), for counting errors. */
  logs: string[];
  /**
   * Stops a stack that is still busy: storage and both emulators first, so the running message
   * fails fast instead of being waited for, then the host (given at most `graceMs`).
   */
  abort(graceMs?: number): Promise<void>;
}

/**
 * The whole product for one scenario: a fresh in-memory Azurite, both emulators and the host
 * on free ports, the queue timings of the end-to-end tests, timers off, the host log silent
 * (BENCH_LOG=1 prints it). One stack per scenario, so no scenario sees another's data.
 */
export async function startBenchStack(
  tlsDir: string,
  options: Partial<StackOptions> = {},
): Promise<BenchStack> {
  const azurite = await startAzurite();
  const logs: string[] = [];
  const stack = await startStack({
    tlsDir,
    azurite,
    hostPort: 0,
    graphPort: 0,
    crmPort: 0,
    crmRetryDelaysMs: [50, 100, 200, 400],
    log: (level, line) => {
      if (level !== 'info') logs.push(`${level} ${line}`);
      if (process.env.BENCH_LOG || level === 'error')
        console.log(`  ${new Date().toISOString().slice(11, 23)} [${level}] ${line}`);
    },
    ...options,
    graph: { notificationRetry: { attempts: 4, baseDelayMs: 50 }, ...options.graph },
    queue: {
      visibilityTimeoutMs: 60_000,
      pollIntervalMs: 25,
      retryBackoffMs: 200,
      concurrency: 4,
      ...options.queue,
    },
    settings: {
      RECONCILE_SCHEDULE: NEVER,
      SUBSCRIPTION_RENEWAL_SCHEDULE: NEVER,
      MIGRATION_CUTOFF_SCHEDULE: NEVER,
      ...options.settings,
    },
  });
  const outlook = new OutlookUser({
    graphUrl: stack.graph.url,
    tenantId: stack.graph.tenantId,
    clientId: stack.graph.clientId,
    clientSecret: stack.graph.clientSecret,
  });
  const crmUser = new CrmUser({ baseUrl: stack.crm.url, token: stack.crm.token });

  const api: BenchStack['api'] = async (method, path, body) => {
    const response = await fetch(`${stack.host.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, text: await response.text() };
  };

  const settle: BenchStack['settle'] = async (timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 2) {
      if (Date.now() > deadline) throw new Error(`the stack did not settle within ${timeoutMs} ms`);
      await Promise.all([stack.graph.admin.idle(), stack.crm.admin.idle()]);
      const pending = await Promise.all(QUEUE_NAMES.map((q) => stack.transport.pendingCount(q)));
      quiet = pending.every((n) => n === 0) ? quiet + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const register: BenchStack['register'] = async (mailbox) => {
    const response = await api('POST', '/api/accounts', {
      email: mailbox,
      syncVersion: 'v3',
      provider: 'microsoft365',
    });
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
    return JSON.parse(response.text) as { id: string };
  };

  const stop = async () => {
    await stack.stop();
    await azurite.stop();
  };
  const abort: BenchStack['abort'] = async (graceMs = 20_000) => {
    await Promise.allSettled([stack.graph.stop(), stack.crm.stop(), azurite.stop()]);
    await Promise.race([stack.stop(), new Promise((resolve) => setTimeout(resolve, graceMs))]);
  };

  return { ...stack, stop, abort, logs, outlook, crmUser, settle, register, api };
}
