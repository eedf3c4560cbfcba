import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ensureLocalCertificate } from '../local/tls.js';
import { toError } from '../shared/errors.js';
import { SCENARIOS } from './scenarios/index.js';
import { type ScenarioResult, verdict } from './support/figure.js';
import { formatTable } from './support/table.js';
import { writeResults } from './support/write-results.js';

/**
 * `npm run bench [-- name ...]`: runs every scenario (or the named ones) in one process, one
 * fresh stack each, prints the table and writes bench/results.json. Node reads
 * NODE_EXTRA_CA_CERTS only at start, so the process re-runs itself once with the Graph
 * emulator's CA trusted, as `npm start` does.
 */
async function main() {
  const tlsDir = join(process.cwd(), '.local', 'tls');
  const cert = await ensureLocalCertificate(tlsDir);
  if (process.env.NODE_EXTRA_CA_CERTS !== cert.caPath) return relaunch(cert.caPath);

  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const chosen = only.length > 0 ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;
  if (chosen.length === 0)
    throw new Error(
      `no scenario named ${only.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  const started = Date.now();
  const results: ScenarioResult[] = [];
  for (const scenario of chosen) {
    console.log(`\n== ${scenario.name}`);
    const t0 = performance.now();
    const result = await scenario.run({ tlsDir, log: (line) => console.log(`  ${line}`) });
    const seconds = Math.round(performance.now() - t0) / 1000;
    results.push({ scenario: scenario.name, seconds, ...result });
    console.log(`  done in ${seconds} s`);
  }
  const totalSeconds = Math.round((Date.now() - started) / 100) / 10;
  console.log(`\n${formatTable(results)}\n`);
  const misses = results.flatMap((r) => r.figures).filter((f) => verdict(f) === 'MISS').length;
  console.log(`${misses} target(s) missed; total ${totalSeconds} s`);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const path = await writeResults({
    date: new Date().toISOString(),
    machine,
    totalSeconds,
    partial: only.length > 0,
    results,
  });
  console.log(`results written to ${path}`);
  // An aborted scenario may leave a retry timer behind; the run is over.
  process.exit(0);
}

function relaunch(caPath: string) {
  // BENCH_CPU_PROF=dir writes a V8 CPU profile of the run there (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...process.execArgv, '--expose-gc', ...profile, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${toError(error).stack ?? toError(error).message}`);
  process.exit(1);
});
