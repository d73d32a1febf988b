/** Verdict counts of a run. */
import type { Result, RunSummary, ScenarioTally } from './run-record.ts';

/** The counts of a set of results, plus the warnings and scenario runs they came from. */
export function summarize(results: readonly Result[], warnings: number, scenarioRuns: number): RunSummary {
  const summary: RunSummary = { pass: 0, fail: 0, unchecked: 0, inconclusive: 0, warnings, scenarioRuns };
  for (const result of results) summary[result.verdict] += 1;
  return summary;
}

/** Add one scenario run's results and warnings to a running summary (in place). */
export function addToSummary(summary: RunSummary, results: readonly Result[], warnings: number): void {
  for (const result of results) summary[result.verdict] += 1;
  summary.warnings += warnings;
  summary.scenarioRuns += 1;
}

/** A run fails when an expectation failed or a run was inconclusive. */
export function hasFailures(summary: RunSummary): boolean {
  return summary.fail > 0 || summary.inconclusive > 0;
}

/** One variant's outcome over a scenario's runs: `✓ 100`, `✗ 3/100` (3 of 100 runs failed), `? 1/100`, `· 100`, `-` (not run). */
export function tallyText(counts: ScenarioTally['variants'][string] | undefined): string {
  if (counts === undefined) return '-';
  const total = counts.pass + counts.fail + counts.inconclusive + counts.unchecked;
  if (counts.fail > 0) return `✗ ${counts.fail}/${total}`;
  if (counts.inconclusive > 0) return `? ${counts.inconclusive}/${total}`;
  return `${counts.pass > 0 ? '✓' : '·'} ${total}`;
}
