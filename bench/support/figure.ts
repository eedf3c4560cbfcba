/**
 * One reported number. `target` is absent for figures reported for context only; then the
 * verdict is "info". Everything a scenario measured beyond its figures goes into `raw`.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: { op: '<' | '<=' | '>=' | '=='; value: number };
}

export interface ScenarioResult {
  scenario: string;
  seconds: number;
  figures: Figure[];
  raw: Record<string, unknown>;
}

export type Verdict = 'PASS' | 'MISS' | 'info';

export function verdict(figure: Figure): Verdict {
  const t = figure.target;
  if (!t) return 'info';
  const v = figure.value;
  const ok =
    t.op === '<' ? v < t.value : t.op === '<=' ? v <= t.value : t.op === '>=' ? v >= t.value : v === t.value;
  return ok ? 'PASS' : 'MISS';
}

export interface Scenario {
  name: string;
  run(context: {
    tlsDir: string;
    log: (line: string) => void;
  }): Promise<Omit<ScenarioResult, 'scenario' | 'seconds'>>;
}
