import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioResult } from './figure.js';

export interface BenchResults {
  date: string;
  machine: Record<string, unknown>;
  totalSeconds: number;
  /** True when only some scenarios ran: then results go to results.local.json (git-ignored). */
  partial: boolean;
  results: ScenarioResult[];
}

/** bench/results.json for a full run; a partial run must not overwrite the committed figures. */
export async function writeResults(results: BenchResults): Promise<string> {
  const path = join(process.cwd(), 'bench', results.partial ? 'results.local.json' : 'results.json');
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
