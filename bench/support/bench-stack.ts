import { startAzurite } from '../../local/azurite.js';
import { type RunningStack, type StackOptions, startStack } from '../../local/stack.js';
import { driveStack, type StackDriver } from '../../local/stack-driver.js';

/** Timer schedules that never fire during a run: scenarios run timers themselves. */
const NEVER = '0 0 0 1 1 *';

export interface BenchStack extends RunningStack, Omit<StackDriver, 'settle'> {
  settle(timeoutMs?: number): Promise<void>;
  /** POST /api/accounts; resolves with the account once it answered 201 (the initial sync may still run). */
  register(mailbox: string): Promise<{ id: string }>;
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
      concurrency: 8,
      ...options.queue,
    },
    settings: {
      RECONCILE_SCHEDULE: NEVER,
      SUBSCRIPTION_RENEWAL_SCHEDULE: NEVER,
      MIGRATION_CUTOFF_SCHEDULE: NEVER,
      ...options.settings,
    },
  });
  const driver = driveStack(stack);
  const { api } = driver;
  const settle: BenchStack['settle'] = (timeoutMs = 120_000) => driver.settle(timeoutMs, 200);

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

  return { ...stack, ...driver, stop, abort, logs, settle, register };
}
