import type { OutlookUser } from '../../../local/clients/outlook.js';
import { type RunningStack, type StackOptions, startStack } from '../../../local/stack.js';
import { driveStack } from '../../../local/stack-driver.js';

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
  const { outlook, api, settle } = driveStack(stack);
  return { ...stack, outlook, api, settle };
}
