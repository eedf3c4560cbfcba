import { inject } from 'vitest';
import { CrmUser } from '../../local/clients/crm-user.js';
import { OutlookUser } from '../../local/clients/outlook.js';
import { type RunningStack, type StackOptions, startStack } from '../../local/stack.js';
import { QUEUE_NAMES } from '../../shared/ports.js';

/** Timer schedules that never fire during a test: tests run timers through the admin route. */
const NEVER = '0 0 0 1 1 *';

export interface TestStack extends RunningStack {
  outlook: OutlookUser;
  crmUser: CrmUser;
  /** Host log lines, for assertions (and for the no-secrets-in-logs check). */
  logs: string[];
  /** Waits until emulators have delivered everything and both queues are empty, twice in a row. */
  settle(timeoutMs?: number): Promise<void>;
  /** POST /api/accounts and wait for the initial sync. */
  registerAccount(body: Record<string, unknown>): Promise<{ id: string } & Record<string, unknown>>;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }>;
}

/**
 * The whole product for one test file: its own Azurite (in memory), both emulators and the
 * host, all on free ports, with fast retry timings. Stop it in afterAll.
 */
export async function startTestStack(options: Partial<StackOptions> = {}): Promise<TestStack> {
  const logs: string[] = [];
  const stack = await startStack({
    tlsDir: inject('tlsDir'),
    hostPort: 0,
    graphPort: 0,
    crmPort: 0,

    crmRetryDelaysMs: [50, 100, 200, 400],
    queue: {
      visibilityTimeoutMs: 10_000,
      pollIntervalMs: 25,
      retryBackoffMs: 200,
      concurrency: 4,
      ...options.queue,
    },
    log: (level, line) => {
      logs.push(`${level} ${line}`);
      if (process.env.STACK_LOG) console.log(line);
    },
    ...options,
    graph: { notificationRetry: { attempts: 4, baseDelayMs: 50 }, ...options.graph },
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

  const api: TestStack['api'] = async (method, path, body) => {
    const response = await fetch(`${stack.host.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, text };
  };

  const settle: TestStack['settle'] = async (timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 2) {
      if (Date.now() > deadline) throw new Error(`the stack did not settle within ${timeoutMs} ms`);
      await Promise.all([stack.graph.admin.idle(), stack.crm.admin.idle()]);
      const pending = await Promise.all(QUEUE_NAMES.map((q) => stack.transport.pendingCount(q)));
      quiet = pending.every((n) => n === 0) ? quiet + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const registerAccount: TestStack['registerAccount'] = async (body) => {
    const response = await api('POST', '/api/accounts', body);
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
    await settle();
    return response.json as { id: string };
  };

  return { ...stack, outlook, crmUser, logs, settle, registerAccount, api };
}
