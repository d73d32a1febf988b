/** `statuschaos report`'s re-check: every kept scenario run of a stored record checked again. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Result, RunRecord } from '../record/run-record.ts';
import { addToSummary, summarize } from '../record/summary.ts';
import { checkScenarioRun } from './scenario-check.ts';

/**
 * The record with the kept scenario runs' results, warnings and evidence computed afresh (a
 * changed checker or pattern tried on an old run). Runs whose lanes were not kept keep their
 * stored verdicts in the summary. The event loop runs between two scenario runs (up to 500, tens
 * of ms each), so a Ctrl-C is seen within one run's check and stops it (`signal`).
 */
export async function recheckRecord(record: RunRecord, signal?: AbortSignal): Promise<RunRecord> {
  const results: Result[] = [];
  const before = summarize(record.results, record.scenarios.reduce((sum, run) => sum + run.warnings.length, 0), record.scenarios.length);
  const summary = { ...record.summary };
  for (const key of ['pass', 'fail', 'unchecked', 'inconclusive', 'warnings', 'scenarioRuns'] as const) summary[key] -= before[key];
  const scenarios: RunRecord['scenarios'] = [];
  for (const run of record.scenarios) {
    await nextTurn();
    signal?.throwIfAborted();
    const check = checkScenarioRun(run, record.variants);
    results.push(...check.results);
    addToSummary(summary, check.results, check.warnings.length);
    scenarios.push({ ...run, warnings: check.warnings, evidence: check.evidence });
  }
  return { ...record, scenarios, results, summary };
}
