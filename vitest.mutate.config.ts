import { defineConfig } from 'vitest/config';
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

/**
 * The fast, direct unit tests run before the engine tests: Stryker stops a mutant's run at its
 * first failing test (bail), so a mutant the contact or planner tests kill never waits for the
 * engine tests to load.
 */
class UnitTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const engine = (file: TestSpecification) => (/[\\/]engine-[^\\/]*$/.test(file.moduleId) ? 1 : 0);
    return sorted
      .map((file, index) => ({ file, index }))
      .sort((a, b) => engine(a.file) - engine(b.file) || a.index - b.index)
      .map(({ file }) => file);
  }
}

// The unit tests that exercise the pure core, for `npm run mutate` (Stryker forces one worker
// thread and, with coverageAnalysis perTest, runs per mutant only the tests that reached it):
// the contact tests, the planner's own tests and the engine tests over the in-memory world
// (which drive the planner end to end). Listed one by one so that a new, unrelated or
// half-written test under test/unit/sync/ does not break the dry run or slow every mutant. No
// Azurite, no emulators. The in-memory model (engine-model) is left out: its random command
// sequences would make a mutant's verdict depend on the seed; it runs in the normal suite and
// `npm run soak`. Fewer property runs (FC_RUNS, 25 unless the environment sets it) keep a run short.
export default defineConfig({
  test: {
    include: [
      'test/unit/contact/**/*.test.ts',
      'test/unit/sync/plan-*.test.ts',
      'test/unit/sync/match.test.ts',
      'test/unit/sync/engine-accounts.test.ts',
      'test/unit/sync/engine-batch.test.ts',
      'test/unit/sync/engine-deletes.test.ts',
      'test/unit/sync/engine-faults.test.ts',
      'test/unit/sync/engine-flows.test.ts',
      'test/unit/sync/engine-moves.test.ts',
      'test/unit/sync/engine-races.test.ts',
      'test/unit/sync/engine-exchange-crash.test.ts',
      'test/unit/sync/engine-held-delete.test.ts',
      'test/unit/sync/engine-values.test.ts',
    ],
    exclude: ['**/node_modules/**'],
    sequence: { sequencer: UnitTestsFirst },
    setupFiles: ['vitest.mutate.setup.ts'],
    pool: 'forks',
    // One module graph for all files (Stryker switches mutants at run time, so nothing needs
    // re-importing): a mutant's run costs its tests, not 20 fresh imports (75 s → 19 s for the
    // contact and planner tests on a loaded machine). The listed files pass this way.
    isolate: false,
    env: { FC_RUNS: process.env.FC_RUNS ?? '25' },
    testTimeout: 30_000,
  },
});
