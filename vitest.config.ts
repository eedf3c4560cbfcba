import { defineConfig } from 'vitest/config';

// Forks, not threads: the global setup exports NODE_EXTRA_CA_CERTS (the Graph emulator's CA)
// before the workers start, and Node reads that variable only at process start.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine, where the
    // suite then waits on its stacks (emulators, Azurite, browsers) with a core idle (25 min
    // wall for 22 min of CPU). Two workers: about 12 min.
    maxWorkers: 2,
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.local/test-results.json' }]]
      : ['default'],
  },
});
