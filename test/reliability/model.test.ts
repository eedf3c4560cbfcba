import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { emptyStats } from './model/model.js';
import {
  failureReport,
  reliabilityProperty,
  replayFromEnv,
  sequencesFinished,
  summaryLines,
} from './model/property.js';
import { settleQuickly } from './model/stack.js';

/**
 * Model-based reliability test on the real local stack (Azurite, both emulators, the host):
 * random user actions on both sides interleaved with delivery faults, crashes and a second
 * worker; after the drain every DESIGN section 9 invariant must hold (test/reliability/model/).
 *
 * RELIABILITY_RUNS (default 3) sets the number of batches, RELIABILITY_PARALLEL (default 2) the
 * sequences of a batch, which run at once on the stack, each with its own account, mailbox and
 * contacts. A failure prints a replay line:
 *   RELIABILITY_PARALLEL=… RELIABILITY_SEED=… RELIABILITY_PATH=… RELIABILITY_REPLAY_PATH=… npx vitest run test/reliability/model.test.ts
 * `npm run soak -- --minutes 10` runs the same property for longer, outside vitest.
 */
const RUNS = Number(process.env.RELIABILITY_RUNS ?? 3);
/** Bounds shrinking in CI; a failure found before the limit is still reported, shrunk so far. */
const TIME_LIMIT_MS = Number(process.env.RELIABILITY_TIME_LIMIT_MS ?? 240_000);

describe('reliability: random actions and faults on the whole stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it(
    'keeps every sync invariant after the queues drain',
    async () => {
      const stats = emptyStats();
      const started = Date.now();
      const replay = replayFromEnv();
      const parallel = replay.parallel ?? 2;
      const details = await fc.check(
        reliabilityProperty(
          async () => ({ ...stack, settle: settleQuickly(stack) }),
          stats,
          parallel,
          replay.replayPath,
          replay.maxCommands,
        ),
        {
          numRuns: RUNS,
          ...(replay.seed === undefined ? {} : { seed: replay.seed }),
          ...(replay.path === undefined ? {} : { path: replay.path }),
          plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)],
        },
      );
      await sequencesFinished(); // an interrupted check leaves its last sequence running
      console.log(summaryLines(stats, Date.now() - started).join('\n'));
      if (details.failed) throw new Error(failureReport(details, parallel, replay.maxCommands));
      expect(stats.sequences).toBeGreaterThan(0);
    },
    TIME_LIMIT_MS + 60_000,
  );
});
