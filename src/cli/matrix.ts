/** The text summary printed on stdout after a run: a verdict grid, then each trace. */
import type { RunRecord } from '../record/run-record.ts';

const MARK: Record<string, string> = { pass: '✓', fail: '✗', unchecked: '·', inconclusive: '?' };

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function renderMatrix(record: RunRecord): string {
  const variants = record.variants;
  const rows = record.scenarios.map((run) => ({
    label: record.scenarios.filter((other) => other.name === run.name).length > 1 ? `${run.name} #${run.seed}` : run.name,
    run,
    results: record.results.filter((result) => result.scenario === run.name && result.seed === run.seed),
  }));
  const firstWidth = Math.max(8, ...rows.map((row) => row.label.length)) + 2;
  const widths = variants.map((variant) => Math.max(variant.length, 3) + 2);
  const lines: string[] = [];
  lines.push(pad('scenario', firstWidth) + variants.map((variant, index) => pad(variant, widths[index]!)).join(''));
  for (const row of rows) {
    const cells = variants.map((variant, index) => {
      const results = row.results.filter((result) => result.variant === variant);
      const verdict = results.some((r) => r.verdict === 'fail') ? 'fail' : results.some((r) => r.verdict === 'inconclusive') ? 'inconclusive' : results.every((r) => r.verdict === 'unchecked') ? 'unchecked' : 'pass';
      return pad(results.length === 0 ? '-' : MARK[verdict]!, widths[index]!);
    });
    lines.push(pad(row.label, firstWidth) + cells.join(''));
  }
  lines.push('');
  const label = (result: RunRecord['results'][number], apps: readonly string[]) => result.variant + (apps.length > 1 ? ` [${result.app}]` : '');
  const labelWidth = Math.max(24, ...rows.flatMap((row) => row.results.map((result) => label(result, row.run.apps).length)));
  for (const row of rows) {
    lines.push(`${row.label}${row.run.error ? `  (backend error: ${row.run.error})` : ''}`);
    for (const result of row.results) {
      lines.push(`  ${MARK[result.verdict]} ${pad(label(result, row.run.apps), labelWidth)} ${result.trace.join(' → ')}`);
      for (const failure of result.failures) lines.push(`      ${failure}`);
    }
    for (const warning of row.run.warnings) lines.push(`  warning: ${warning}`);
  }
  const { summary } = record;
  lines.push('');
  lines.push(`${summary.pass} passed, ${summary.fail} failed, ${summary.inconclusive} inconclusive, ${summary.unchecked} unchecked, ${summary.warnings} warning(s)`);
  return `${lines.join('\n')}\n`;
}
