import { OutlookUser } from '../../../local/clients/outlook.js';
import { type RunningStack, type StackOptions, startStack } from '../../../local/stack.js';
import { QUEUE_NAMES } from '../../../shared/ports.js';

/**
 * What the reliability model needs of a running stack. test/support/stack.ts's TestStack has
 * this shape (the vitest file passes it as is); the soak runner, which runs outside vitest and
 * cannot use `inject`, builds one with `startReliabilityStack`.
 */
export interface ReliabilityStack extends RunningStack {
  outlook: OutlookUser;
  settle(timeoutMs?: number): Promise<void>;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }>;
}

/** Timer schedules that never fire: the model runs reconcile itself, through the admin route. */
const NEVER = '0 0 0 1 1 *';

/** The same scaled-down timings as the end-to-end tests' stack (test/support/stack.ts). */
export async function startReliabilityStack(
  tlsDir: string,
  log: StackOptions['log'] = () => {},
): Promise<ReliabilityStack> {
  const stack = await startStack({
    tlsDir,
    hostPort: 0,
    graphPort: 0,
    crmPort: 0,
    graph: { notificationRetry: { attempts: 4, baseDelayMs: 50 } },
    crmRetryDelaysMs: [50, 100, 200, 400],
    queue: { visibilityTimeoutMs: 10_000, pollIntervalMs: 25, retryBackoffMs: 200, concurrency: 4 },
    settings: {
      RECONCILE_SCHEDULE: NEVER,
      SUBSCRIPTION_RENEWAL_SCHEDULE: NEVER,
      MIGRATION_CUTOFF_SCHEDULE: NEVER,
    },
    log,
  });
  const outlook = new OutlookUser({
    graphUrl: stack.graph.url,
    tenantId: stack.graph.tenantId,
    clientId: stack.graph.clientId,
    clientSecret: stack.graph.clientSecret,
  });
  const api: ReliabilityStack['api'] = async (method, path, body) => {
    const response = await fetch(`${stack.host.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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
  const settle: ReliabilityStack['settle'] = async (timeoutMs = 30_000) => {
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
  return { ...stack, outlook, api, settle };
}
