/** `statuschaos report`'s re-check: every kept scenario run of a stored record checked again. */
import type { Result, RunRecord } from '../record/run-record.ts';
import { addToSummary, summarize } from '../record/summary.ts';
import { checkScenarioRun } from './scenario-check.ts';

/**
 * The record with the kept scenario runs' results, warnings and evidence computed afresh (a
 * changed checker or pattern tried on an old run). Runs whose lanes were not kept keep their
 * stored verdicts in the summary.
 */
export function recheckRecord(record: RunRecord): RunRecord {
  const results: Result[] = [];
  const before = summarize(record.results, record.scenarios.reduce((sum, run) => sum + run.warnings.length, 0), record.scenarios.length);
  const summary = { ...record.summary };
  for (const key of ['pass', 'fail', 'unchecked', 'inconclusive', 'warnings', 'scenarioRuns'] as const) summary[key] -= before[key];
  const scenarios = record.scenarios.map((run) => {
    const check = checkScenarioRun(run, record.variants);
    results.push(...check.results);
    addToSummary(summary, check.results, check.warnings.length);
    return { ...run, warnings: check.warnings, evidence: check.evidence };
  });
  return { ...record, scenarios, results, summary };
}
