import { defineConfig } from 'vitest/config';

// Forks, not threads: the global setup exports NODE_EXTRA_CA_CERTS (the Graph emulator's CA)
// before the workers start, and Node reads that variable only at process start.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.local/test-results.json' }]]
      : ['default'],
  },
});
