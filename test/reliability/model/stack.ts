import type { OutlookUser } from '../../../local/clients/outlook.js';
import { type RunningStack, type StackOptions, startStack } from '../../../local/stack.js';
import { driveStack } from '../../../local/stack-driver.js';
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
  const { outlook, api } = driveStack(stack);
  return { ...stack, outlook, api, settle: settleQuickly(stack) };
}

/**
 * "Everything was delivered": both emulators idle and every queue empty (in-flight messages
 * count), twice in a row, like the stack driver's settle, but polled so that it neither wastes
 * time nor the machine: while work is pending the pause between two looks doubles from 10 ms
 * up to 100 ms (each look asks Azurite about every queue), and the second, confirming look
 * follows the first quiet one after 25 ms. A settle that ends too early can only make a check
 * fail (work still to come), never pass.
 */
export function settleQuickly(stack: RunningStack): (timeoutMs?: number) => Promise<void> {
  return async (timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    let pause = 10;
    while (quiet < 2) {
      if (Date.now() > deadline) throw new Error(`the stack did not settle within ${timeoutMs} ms`);
      await Promise.all([stack.graph.admin.idle(), stack.crm.admin.idle()]);
      const pending = await Promise.all(QUEUE_NAMES.map((q) => stack.transport.pendingCount(q)));
      if (pending.every((n) => n === 0)) {
        quiet++;
        pause = 10;
        await sleep(25);
      } else {
        quiet = 0;
        await sleep(pause);
        pause = Math.min(pause * 2, 100);
      }
    }
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
