import { defineConfig } from 'vitest/config';

// The unit tests of the pure core only (no Azurite, no emulators), for `npm run mutate`:
// Stryker runs them once per mutant, so fewer property runs keep a run within the hour.
export default defineConfig({
  test: {
    include: ['test/unit/contact/**/*.test.ts', 'test/unit/sync/**/*.test.ts'],
    pool: 'forks',
    env: { FC_RUNS: '50' },
    testTimeout: 30_000,
  },
});
