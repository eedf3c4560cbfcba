import fc from 'fast-check';
import { commandSequences } from './arbitraries.js';
import type { Violation } from './invariants.js';
import type { Stats } from './model.js';
import { runSequences } from './sequence.js';
import type { ReliabilityStack } from './stack.js';

/**
 * The model-based property (vdirsyncer's SyncMachine on the real stack) and its replay
 * settings, shared by model.test.ts and soak.ts. One run of the property is a batch of
 * `parallel` sequences that run at once on the stack (sequence.ts). A failing batch shrinks;
 * the report names the seed and paths to replay it:
 *   RELIABILITY_PARALLEL=… RELIABILITY_SEED=… RELIABILITY_PATH=… RELIABILITY_REPLAY_PATH=… npx vitest run test/reliability/model.test.ts
 * (RELIABILITY_REPLAY_PATH holds one replay path per sequence, separated by commas.)
 * Timing is real, so a replay runs the same actions and faults but not always the same race.
 */
/** The longest sequence (fast-check draws lengths up to it); the soak may ask for longer ones. */
export const MAX_COMMANDS = 12;

export class ViolationError extends Error {
  constructor(readonly violations: Violation[]) {
    super(violations.map((v) => `${v.invariant}: ${v.detail}`).join('\n'));
    this.name = 'ViolationError';
  }
}

let inFlight: Promise<unknown> = Promise.resolve();

/** Resolves when no sequence is running: an interrupted check leaves its last one running on. */
export function sequencesFinished(): Promise<unknown> {
  return inFlight.catch(() => {});
}

/** `stack` is asked once per batch (the soak restarts it every so many sequences). */
export function reliabilityProperty(
  stack: (sequences: number) => Promise<ReliabilityStack>,
  stats: Stats,
  parallel = 1,
  replayPath?: string,
  maxCommands = MAX_COMMANDS,
) {
  const paths = replayPath?.split(',') ?? [];
  const batch = fc.tuple(
    ...Array.from({ length: parallel }, (_, i) => commandSequences(maxCommands, paths[i] || undefined)),
  );
  return fc.asyncProperty(batch, async (...[sequences]) => {
    const running = (async () => runSequences(await stack(sequences.length), sequences, stats))();
    inFlight = running;
    const violations = await running;
    if (violations.length > 0) throw new ViolationError(violations);
  });
}

export interface Replay {
  parallel?: number;
  maxCommands?: number;
  seed?: number;
  path?: string;
  replayPath?: string;
}

export function replayFromEnv(env: NodeJS.ProcessEnv = process.env): Replay {
  return {
    ...(env.RELIABILITY_PARALLEL ? { parallel: Number(env.RELIABILITY_PARALLEL) } : {}),
    ...(env.RELIABILITY_MAX_COMMANDS ? { maxCommands: Number(env.RELIABILITY_MAX_COMMANDS) } : {}),
    ...(env.RELIABILITY_SEED ? { seed: Number(env.RELIABILITY_SEED) } : {}),
    ...(env.RELIABILITY_PATH ? { path: env.RELIABILITY_PATH } : {}),
    ...(env.RELIABILITY_REPLAY_PATH ? { replayPath: env.RELIABILITY_REPLAY_PATH } : {}),
  };
}

/** The failure report: how to replay it, then fast-check's own report (counterexample, error). */
export function failureReport(
  details: fc.RunDetails<unknown>,
  parallel = 1,
  maxCommands = MAX_COMMANDS,
): string {
  const replayPath = [...fc.stringify(details.counterexample).matchAll(/replayPath="([^"]*)"/g)]
    .map((m) => m[1])
    .join(',');
  const env = [
    `RELIABILITY_PARALLEL=${parallel}`,
    maxCommands === MAX_COMMANDS ? '' : `RELIABILITY_MAX_COMMANDS=${maxCommands}`,
    `RELIABILITY_SEED=${details.seed}`,
    details.counterexamplePath ? `RELIABILITY_PATH=${details.counterexamplePath}` : '',
    replayPath ? `RELIABILITY_REPLAY_PATH=${replayPath}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return [
    `Replay: ${env} npx vitest run test/reliability/model.test.ts`,
    fc.defaultReportMessage(details) ?? 'no report',
    `Violations of the shrunk sequence:\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
  ].join('\n');
}

export function summaryLines(stats: Stats, elapsedMs: number): string[] {
  const byKind = (record: Record<string, number>) =>
    Object.entries(record)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `  ${k}: ${n}`);
  return [
    `sequences: ${stats.sequences} (${stats.failedSequences} with violations) in ${Math.round(elapsedMs / 1000)} s`,
    `actions: ${stats.actions} (${stats.noops} found no target)`,
    `faults by kind:`,
    ...byKind(stats.faults),
    `violations: ${Object.values(stats.violations).reduce((a, b) => a + b, 0)}`,
    ...byKind(stats.violations),
  ];
}
