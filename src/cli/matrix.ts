/**
 * The text summary printed on stdout after a run: a verdict grid, then each trace. A run with
 * repeats gets one row per scenario with its counts over every seed instead, and the failing
 * runs' traces up to a bound, so the output stays short however long the run was.
 */
import type { Result, RunRecord, Verdict } from '../record/run-record.ts';
import { tallyText } from '../record/summary.ts';

const MARK: Record<string, string> = { pass: '✓', fail: '✗', unchecked: '·', inconclusive: '?' };
/** Scenario runs whose traces a repeated run prints (the report shows more). */
const FAILING_RUNS_PRINTED = 20;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function worst(verdicts: readonly Verdict[]): Verdict {
  for (const verdict of ['fail', 'inconclusive', 'pass'] as const) if (verdicts.includes(verdict)) return verdict;
  return 'unchecked';
}

function grid(variants: readonly string[], rows: { label: string; cells: string[] }[]): string[] {
  const firstWidth = Math.max(8, ...rows.map((row) => row.label.length)) + 2;
  const widths = variants.map((variant, index) => Math.max(variant.length, 3, ...rows.map((row) => row.cells[index]!.length)) + 2);
  return [pad('scenario', firstWidth) + variants.map((variant, index) => pad(variant, widths[index]!)).join(''), ...rows.map((row) => pad(row.label, firstWidth) + row.cells.map((cell, index) => pad(cell, widths[index]!)).join(''))];
}

function traceLines(runs: RunRecord['scenarios'], byRun: Map<string, Result[]>, label: (run: RunRecord['scenarios'][number]) => string): string[] {
  const lines: string[] = [];
  const name = (result: Result, apps: readonly string[]) => result.variant + (apps.length > 1 ? ` [${result.app}]` : '');
  const width = Math.max(24, ...runs.flatMap((run) => (byRun.get(`${run.name}\u0000${run.seed}`) ?? []).map((result) => name(result, run.apps).length)));
  for (const run of runs) {
    lines.push(`${label(run)}${run.error ? `  (backend error: ${run.error})` : ''}`);
    for (const result of byRun.get(`${run.name}\u0000${run.seed}`) ?? []) {
      lines.push(`  ${MARK[result.verdict]} ${pad(name(result, run.apps), width)} ${result.trace.join(' → ')}`);
      for (const failure of result.failures) lines.push(`      ${failure}`);
    }
    for (const warning of run.warnings) lines.push(`  warning: ${warning}`);
  }
  return lines;
}

export function renderMatrix(record: RunRecord): string {
  const byRun = new Map<string, Result[]>();
  for (const result of record.results) {
    const key = `${result.scenario}\u0000${result.seed}`;
    const list = byRun.get(key);
    if (list === undefined) byRun.set(key, [result]);
    else list.push(result);
  }
  const repeated = record.tally?.some((entry) => entry.runs > 1) ?? false;
  const lines: string[] = [];
  if (repeated) {
    const tally = record.tally!;
    lines.push(...grid(record.variants, tally.map((entry) => ({ label: `${entry.name} ×${entry.runs}`, cells: record.variants.map((variant) => tallyText(entry.variants[variant])) }))));
    const notes: string[] = [];
    for (const entry of tally) {
      for (const [variant, counts] of Object.entries(entry.variants)) {
        const bad = counts.fail + counts.inconclusive;
        if (bad > 0) notes.push(`${entry.name}: ${variant} did not pass ${bad} of ${entry.runs} run(s), e.g. seed(s) ${counts.failedSeeds.join(', ')}`);
      }
    }
    if (notes.length > 0) lines.push('', ...notes);
    const failing = record.scenarios.filter((run) => (byRun.get(`${run.name}\u0000${run.seed}`) ?? []).some((result) => result.verdict === 'fail' || result.verdict === 'inconclusive'));
    if (failing.length > 0) {
      lines.push('');
      lines.push(...traceLines(failing.slice(0, FAILING_RUNS_PRINTED), byRun, (run) => `${run.name} #${run.seed}`));
      if (failing.length > FAILING_RUNS_PRINTED) lines.push(`… and ${failing.length - FAILING_RUNS_PRINTED} more failing run(s) in the report`);
    }
  } else {
    const names = new Map<string, number>();
    for (const run of record.scenarios) names.set(run.name, (names.get(run.name) ?? 0) + 1);
    const label = (run: RunRecord['scenarios'][number]) => ((names.get(run.name) ?? 0) > 1 ? `${run.name} #${run.seed}` : run.name);
    const rows = record.scenarios.map((run) => {
      const results = byRun.get(`${run.name}\u0000${run.seed}`) ?? [];
      const cells = record.variants.map((variant) => {
        const own = results.filter((result) => result.variant === variant);
        return own.length === 0 ? '-' : MARK[worst(own.map((result) => result.verdict))]!;
      });
      return { label: label(run), cells };
    });
    lines.push(...grid(record.variants, rows));
    lines.push('');
    lines.push(...traceLines(record.scenarios, byRun, label));
  }
  const { summary } = record;
  lines.push('');
  lines.push(`${summary.pass} passed, ${summary.fail} failed, ${summary.inconclusive} inconclusive, ${summary.unchecked} unchecked, ${summary.warnings} warning(s)${record.notShown > 0 ? ` over ${summary.scenarioRuns} scenario runs (${record.notShown} not kept in the report)` : ''}`);
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}
