import { type ScenarioResult, verdict } from './figure.js';

const targetText = (t: { op: string; value: number } | undefined) => (t ? `${t.op} ${t.value}` : '');

function valueText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 1 });
}

/** The results as a Markdown table: readable in a terminal and pasteable into BENCHMARKS.md. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const rows = results.flatMap((r) =>
    r.figures.map((f) => [
      r.scenario,
      f.name,
      `${valueText(f.value)} ${f.unit}`,
      targetText(f.target),
      verdict(f),
    ]),
  );
  const header = ['scenario', 'figure', 'value', 'target', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
