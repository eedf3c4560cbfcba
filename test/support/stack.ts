import { inject } from 'vitest';
import { type RunningStack, type StackOptions, startStack } from '../../local/stack.js';
import { driveStack, type StackDriver } from '../../local/stack-driver.js';

/** Timer schedules that never fire during a test: tests run timers through the admin route. */
const NEVER = '0 0 0 1 1 *';

export interface TestStack extends RunningStack, StackDriver {
  /** Host log lines, for assertions (and for the no-secrets-in-logs check). */
  logs: string[];
  /** POST /api/accounts and wait for the initial sync. */
  registerAccount(body: Record<string, unknown>): Promise<{ id: string } & Record<string, unknown>>;
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
      // Tests run the polling timer themselves (stack.runTimer('ewsPoll')), never on its own clock.
      EWS_POLL_SCHEDULE: NEVER,
      ...options.settings,
    },
  });
  const driver = driveStack(stack);
  const { api, settle } = driver;

  const registerAccount: TestStack['registerAccount'] = async (body) => {
    const response = await api('POST', '/api/accounts', body);
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
    await settle();
    return response.json as { id: string };
  };

  return { ...stack, ...driver, logs, registerAccount };
}
