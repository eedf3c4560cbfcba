import fc from 'fast-check';
import {
  emptyMemoryStats,
  type MemoryModelStats,
  memoryModelProperty,
  memorySummary,
} from './memory-model.js';

/**
 * `npm run soak -- --model memory [--actions N] [--minutes M]`: the in-memory model
 * (memory-model.ts) until N actions ran or M minutes passed (default 100,000 actions, at most
 * 30 minutes). Prints progress, then actions run, faults by kind and violations; each failure
 * with its seed and shrunk counterexample (time-boxed). Exits 1 on any violation.
 */
export async function runMemorySoak(argv: string[]): Promise<number> {
  const option = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const budget = option('--actions', 100_000);
  const minutes = option('--minutes', 30);
  if (!(budget > 0 && minutes > 0))
    throw new Error('usage: npm run soak -- --model memory [--actions N] [--minutes M]');
  const stats = emptyMemoryStats();
  const started = Date.now();
  const deadline = started + minutes * 60_000;
  const failures: string[] = [];
  const progress = setInterval(() => report(stats, started), 30_000);
  try {
    while (stats.actions < budget && Date.now() < deadline) {
      const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
      // Sequences in batches of 200, so the action budget is checked often.
      const found = await fc.check(memoryModelProperty(stats), { numRuns: 200, seed, endOnFailure: true });
      if (!found.failed) continue;
      const shrinkStats = emptyMemoryStats(); // shrinking re-runs sequences: not counted
      const shrunk = await fc.check(memoryModelProperty(shrinkStats), {
        seed,
        ...(found.counterexamplePath ? { path: found.counterexamplePath } : {}),
        plugins: [fc.interruptAfterTimeLimit(60_000)],
      });
      const best = shrunk.failed ? shrunk : found;
      const text = `seed ${seed}, path ${best.counterexamplePath ?? '-'}\n${String(best.errorInstance)}\n${JSON.stringify(best.counterexample)}`;
      failures.push(text);
      console.log(`\n[soak] VIOLATION\n${text}\n`);
    }
  } finally {
    clearInterval(progress);
  }
  console.log('\n=== soak figures ===');
  for (const line of memorySummary(stats, Date.now() - started)) console.log(line);
  console.log(`budget: ${budget} actions or ${minutes} min; failures reported: ${failures.length}`);
  return failures.length > 0 || Object.keys(stats.violations).length > 0 ? 1 : 0;
}

function report(stats: MemoryModelStats, started: number) {
  const violations = Object.values(stats.violations).reduce((a, b) => a + b, 0);
  console.log(
    `[soak ${Math.round((Date.now() - started) / 1000)} s] sequences ${stats.sequences}, actions ${stats.actions}, violations ${violations}`,
  );
}
