/**
 * Verdicts for a recorded scenario run: each variant's trace per application checked against
 * its expectation, inconclusive when a fault left no evidence, plus the discrimination
 * warning. Pure: used right after a run and again by `statuschaos report` on a stored record.
 */
import type { Result, ScenarioRun } from '../runner/record.ts';
import type { Expectation } from '../scenario/types.ts';
import { checkExpectation, discriminationWarning, type Observed } from './checker.ts';
import { normalizeTrace } from './pattern.ts';

export function checkScenarioRun(run: Omit<ScenarioRun, 'warnings'>, variants: readonly string[]): { results: Result[]; warnings: string[] } {
  const missingEvidence = Object.entries(run.evidence)
    .filter(([, seen]) => seen.length === 0)
    .map(([id]) => id);
  const results: Result[] = [];
  const warnings: string[] = [];
  for (const app of run.apps) {
    const observations: Record<string, Observed> = {};
    for (const variant of variants) {
      const lane = run.lanes.variants[variant];
      if (lane === undefined) continue;
      const observed: Observed = { writes: lane.writes.filter((write) => write.app === app), alerts: lane.alerts.filter((alert) => alert.app === app) };
      observations[variant] = observed;
      const expectation = run.expect[variant] as Expectation | undefined;
      const outcome = checkExpectation(expectation, observed, run.settledAtMs);
      const inconclusive = (missingEvidence.length > 0 || run.error !== undefined) && outcome.verdict !== 'unchecked';
      const why = [...(run.error !== undefined ? [`the run broke off: ${run.error}`] : []), ...missingEvidence.map((id) => `no evidence that ${id} took effect`)];
      results.push({
        scenario: run.name,
        variant,
        app,
        seed: run.seed,
        trace: normalizeTrace(observed.writes.map((write) => write.state)),
        verdict: inconclusive ? 'inconclusive' : outcome.verdict,
        failures: [...(inconclusive ? why : []), ...outcome.failures],
        ...(outcome.divergence ? { divergence: outcome.divergence } : {}),
        alerts: observed.alerts.length,
      });
    }
    const warning = run.discriminates ? discriminationWarning(run.expect as Partial<Record<string, Expectation>>, observations, run.settledAtMs) : undefined;
    if (warning !== undefined && !warnings.includes(warning)) warnings.push(warning);
  }
  return { results, warnings };
}
