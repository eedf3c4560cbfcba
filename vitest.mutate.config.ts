import { defineConfig } from 'vitest/config';

// The unit tests of the pure core only (no Azurite, no emulators), for `npm run mutate`:
// Stryker runs them once per mutant, so fewer property runs keep a run within the hour. The
// in-memory model (engine-model) is left out: its random command sequences would make a
// mutant's verdict depend on the seed; the model runs in the normal suite and `npm run soak`.
export default defineConfig({
  test: {
    include: ['test/unit/contact/**/*.test.ts', 'test/unit/sync/**/*.test.ts'],
    exclude: ['test/unit/sync/engine-model.test.ts', '**/node_modules/**'],
    pool: 'forks',
    env: { FC_RUNS: '25' },
    testTimeout: 30_000,
  },
});
