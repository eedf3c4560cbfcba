import { join } from 'node:path';
import fc from 'fast-check';
import {
  type EwsModelStats,
  emptyEwsStats,
  ewsModelProperty,
  ewsSummary,
  startEwsModelEmulator,
} from './ews-model.js';

/**
 * `npm run soak -- --model ews [--actions N] [--minutes M]`: the model over the EWS adapter and
 * emulator (ews-model.ts) until N actions ran or M minutes passed (default 5,000 actions, at
 * most 30 minutes), on one in-process emulator (tlsDir `.local/tls`). Prints progress, then
 * actions run, faults by kind and violations; each failure with its seed and counterexample
 * (the first one shrunk, time-boxed; shrinking's runs are not counted). Exits 1 on any violation.
 */
export async function runEwsSoak(argv: string[]): Promise<number> {
  const option = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const budget = option('--actions', 5_000);
  const minutes = option('--minutes', 30);
  if (!(budget > 0 && minutes > 0))
    throw new Error('usage: npm run soak -- --model ews [--actions N] [--minutes M]');
  const emulator = await startEwsModelEmulator(join(process.cwd(), '.local', 'tls'));
  const stats = emptyEwsStats();
  const started = Date.now();
  const deadline = started + minutes * 60_000;
  const failures: string[] = [];
  const progress = setInterval(() => report(stats, started), 30_000);
  try {
    while (stats.actions < budget && Date.now() < deadline) {
      const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
      // Batches of 20 sequences, so the action budget is checked often.
      const found = await fc.check(ewsModelProperty(emulator, stats), {
        numRuns: 20,
        seed,
        endOnFailure: true,
      });
      if (!found.failed) continue;
      const best =
        failures.length > 0
          ? found
          : await fc
              .check(ewsModelProperty(emulator, emptyEwsStats()), {
                seed,
                ...(found.counterexamplePath ? { path: found.counterexamplePath } : {}),
                plugins: [fc.interruptAfterTimeLimit(60_000)],
              })
              .then((shrunk) => (shrunk.failed ? shrunk : found));
      const text = `seed ${seed}, path ${best.counterexamplePath ?? '-'}\n${String(best.errorInstance)}\n${JSON.stringify(best.counterexample)}`;
      failures.push(text);
      console.log(`\n[soak] VIOLATION\n${text}\n`);
    }
  } finally {
    clearInterval(progress);
    await emulator.stop();
  }
  console.log('\n=== soak figures ===');
  for (const line of ewsSummary(stats, Date.now() - started)) console.log(line);
  console.log(`budget: ${budget} actions or ${minutes} min; failures reported: ${failures.length}`);
  return failures.length > 0 || Object.keys(stats.violations).length > 0 ? 1 : 0;
}

function report(stats: EwsModelStats, started: number) {
  const violations = Object.values(stats.violations).reduce((a, b) => a + b, 0);
  console.log(
    `[soak ${Math.round((Date.now() - started) / 1000)} s] sequences ${stats.sequences}, actions ${stats.actions}, violations ${violations}`,
  );
}
