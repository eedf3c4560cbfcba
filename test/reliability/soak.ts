import { spawn } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { ensureLocalCertificate } from '../../local/tls.js';
import { emptyStats } from './model/model.js';
import {
  failureReport,
  MAX_COMMANDS,
  reliabilityProperty,
  sequencesFinished,
  summaryLines,
  ViolationError,
} from './model/property.js';
import { type ReliabilityStack, startReliabilityStack } from './model/stack.js';

/**
 * `npm run soak -- --model memory --actions 100000`: the in-memory engine model instead
 * (test/unit/sync/support/memory-soak.ts).
 * `npm run soak -- --minutes 10` and/or `--actions 500`: the reliability model (model.test.ts)
 * until the time or the action budget is used up, whichever comes first (default: 2 minutes,
 * no action budget), on the local stack started directly (tlsDir `.local/tls`).
 * `--parallel N` (default 4) runs N sequences at once on the stack, each with its own account,
 * mailbox and contacts (test/reliability/model/sequence.ts); `--parallel 1` runs one at a time.
 * `--max-commands N` (default MAX_COMMANDS, 12, as in CI) bounds the length of a sequence. Prints
 * progress, then the figures, and exits 1 when any sequence broke an invariant. Each failure
 * is printed with its replay line (the first of each kind shrunk, time-boxed); the soak then goes
 * on with a fresh seed and stack. SIGINT or SIGTERM stops it after the running batch, with the
 * figures so far.
 * Node reads NODE_EXTRA_CA_CERTS only at start, so the process re-runs itself with the Graph
 * emulator's CA trusted (as local/start.ts does).
 */
const argv = process.argv.slice(2);
const option = (name: string): number | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : undefined;
};
const actionBudget = option('--actions');
const parallel = option('--parallel') ?? 4;
const maxCommands = option('--max-commands') ?? MAX_COMMANDS;
const minutes = option('--minutes') ?? (actionBudget === undefined ? 2 : Number.POSITIVE_INFINITY);
/** A fresh stack every so many sequences: retired accounts and their mirror rows pile up. */
const RESTART_EVERY = 100;
/** Time box for shrinking the first failure of each kind. */
const SHRINK_MS = 90_000;
const tlsDir = join(process.cwd(), '.local', 'tls');

async function main() {
  // `--model memory`: the in-memory engine model instead of the whole stack (no servers).
  if (argv[argv.indexOf('--model') + 1] === 'memory' && argv.includes('--model')) {
    const { runMemorySoak } = await import('../unit/sync/support/memory-soak.js');
    process.exit(await runMemorySoak(argv));
  }
  // `--model ews`: the engine model over the EWS adapter and in-process emulator (test/reliability/ews/).
  if (argv.includes('--model') && argv[argv.indexOf('--model') + 1] === 'ews') {
    const { runEwsSoak } = await import('./ews/soak.js');
    process.exit(await runEwsSoak(argv));
  }
  // `--model mail`: the mail pipeline's model over in-memory fakes (test/reliability/mail/).
  if (argv.includes('--model') && argv[argv.indexOf('--model') + 1] === 'mail') {
    const { runMailSoak } = await import('./mail/soak.js');
    process.exit(await runMailSoak(argv));
  }
  if (
    Number.isNaN(minutes) ||
    minutes <= 0 ||
    (actionBudget !== undefined && !(actionBudget > 0)) ||
    !Number.isInteger(parallel) ||
    parallel < 1 ||
    !Number.isInteger(maxCommands) ||
    maxCommands < 1
  )
    throw new Error('usage: npm run soak -- [--minutes N] [--actions N] [--parallel N] [--max-commands N]');
  const cert = await ensureLocalCertificate(tlsDir);
  if (process.env.NODE_EXTRA_CA_CERTS !== cert.caPath) return relaunch(cert.caPath);

  const stats = emptyStats();
  const started = Date.now();
  // A very long time box stands for "no time limit" (timers take at most 2^31-1 ms).
  const deadline = started + Math.min(minutes * 60_000, 2 ** 31 - 1);
  // SIGINT/SIGTERM: no new batch; the running one finishes, then the figures are printed.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      stopping = true;
      console.log(`[soak] ${signal}: finishing the running batch, then the figures`);
    });
  const budgetLeft = () => !stopping && (actionBudget === undefined || stats.actions < actionBudget);
  let stack: ReliabilityStack | null = null;
  let since = 0;
  const current = async (sequences: number) => {
    if (!stack || since >= RESTART_EVERY) {
      await stack?.stop();
      stack = await startReliabilityStack(tlsDir);
      since = 0;
    }
    since += sequences;
    return stack;
  };
  const progress = setInterval(() => {
    const s = `${Math.round((Date.now() - started) / 1000)} s`;
    const violations = Object.values(stats.violations).reduce((a, b) => a + b, 0);
    console.log(
      `[soak ${s}] sequences ${stats.sequences}, actions ${stats.actions}, violations ${violations}`,
    );
  }, 30_000);
  const failures: string[] = [];
  const seen = new Set<string>();
  try {
    while (Date.now() < deadline && budgetLeft()) {
      const seed = Date.now() ^ (Math.random() * 0x7fffffff);
      // Find without shrinking; shrink (time-boxed) only the first failure of each kind, so one
      // frequent bug does not use up the soak. One batch per check, so the budget and a stop
      // signal are looked at between batches.
      const found = await fc.check(reliabilityProperty(current, stats, parallel, undefined, maxCommands), {
        numRuns: 1,
        seed,
        endOnFailure: true,
        plugins: [fc.interruptAfterTimeLimit(deadline - Date.now())],
      });
      await sequencesFinished();
      if (!found.failed || found.counterexample === null) {
        continue; // next batch, unless the time, the budget or a signal says stop
      }
      since = RESTART_EVERY; // the failed run may have left work behind: next sequence on a fresh stack
      const kind = found.errorInstance instanceof ViolationError ? signature(found.errorInstance) : 'error';
      // As found, at once: a shrink cut off by its time box must not lose the violations.
      console.log(
        `\n[soak] found (${kind}), before shrinking:\n${failureReport(found, parallel, maxCommands)}\n`,
      );
      const shrunk = seen.has(kind)
        ? found
        : await fc.check(reliabilityProperty(current, stats, parallel, undefined, maxCommands), {
            seed,
            ...(found.counterexamplePath ? { path: found.counterexamplePath } : {}),
            plugins: [fc.interruptAfterTimeLimit(Math.min(SHRINK_MS, Math.max(1, deadline - Date.now())))],
          });
      await sequencesFinished();
      seen.add(kind);
      const report = failureReport(
        shrunk.failed && shrunk.counterexample !== null ? shrunk : found,
        parallel,
        maxCommands,
      );
      failures.push(report);
      console.log(`\n[soak] VIOLATION (${kind})\n${report}\n`);
      since = RESTART_EVERY;
    }
  } finally {
    clearInterval(progress);
    await sequencesFinished();
    await (stack as ReliabilityStack | null)?.stop();
  }
  console.log(`\n=== soak figures (${parallel} sequences at once, up to ${maxCommands} actions each) ===`);
  for (const line of summaryLines(stats, Date.now() - started)) console.log(line);
  console.log(`failures reported: ${failures.length} (kinds: ${[...seen].join(' | ') || 'none'})`);
  process.exit(stats.failedSequences > 0 || failures.length > 0 ? 1 : 0);
}

function signature(error: ViolationError): string {
  return [...new Set(error.violations.map((v) => v.invariant))].sort().join(' + ');
}

function relaunch(caPath: string) {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}

main().catch((error: unknown) => {
  console.error(`soak failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
