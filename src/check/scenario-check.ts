/**
 * The check of one recorded scenario run: each variant's trace per application against its
 * expectation, inconclusive when a fault or action left no evidence, plus the discrimination
 * warning. Pure, and the only place verdicts are made: right after a run, by
 * `statuschaos report` on a stored record, and by the explorer.
 */
import type { Result, ScenarioCheck, ScenarioRun } from '../record/run-record.ts';
import { normalizeTrace } from '../scenario/trace-pattern.ts';
import type { Expectation } from '../scenario/types.ts';
import { actionEvidence, faultEvidence } from './evidence.ts';
import { checkExpectation, discriminationWarning, type CheckOutcome, type Observed } from './expectations.ts';
import { checkOracles, type OracleViolation } from './oracles.ts';
import { trackerInfoOf } from '../record/tracker-info.ts';
import { latenessExcuse } from './lateness.ts';

/** What showed that each fault and action of the run took effect (empty list: nothing did). */
export function evidenceOf(run: ScenarioRun): Record<string, string[]> {
  const allPolls = Object.values(run.lanes.variants).flatMap((lane) => lane.polls);
  const evidence: Record<string, string[]> = {};
  for (const fault of run.faults) evidence[fault.id] = [...(run.lanes.canaries[fault.id] ?? []), ...faultEvidence(fault, allPolls, run.durationMs)];
  for (const action of run.actions) evidence[action.id] = actionEvidence(action, run.lanes.truth);
  return evidence;
}

export function checkScenarioRun(run: ScenarioRun, variants: readonly string[]): ScenarioCheck {
  const evidence = evidenceOf(run);
  const missingEvidence = Object.entries(evidence)
    .filter(([, seen]) => seen.length === 0)
    .map(([id]) => id);
  const results: Result[] = [];
  const warnings: string[] = [];
  const late = latenessExcuse(run);
  for (const app of run.apps) {
    const observations: Record<string, Observed> = {};
    for (const variant of variants) {
      const lane = run.lanes.variants[variant];
      if (lane === undefined) continue;
      const observed: Observed = { writes: lane.writes.filter((write) => write.app === app), alerts: lane.alerts.filter((alert) => alert.app === app) };
      observations[variant] = observed;
      const expectation = run.expect[variant] as Expectation | undefined;
      const outcome = withOracles(checkExpectation(expectation, observed, run.settledAtMs), checkOracles(run, variant, app, expectation?.oracles ?? []));
      // a tracker that broke (never started, crashed, printed garbage) tells nothing about the world: inconclusive, whatever it wrote
      const broken = lane.failure;
      const lateFailure = late !== undefined && outcome.verdict === 'fail';
      const inconclusive = broken !== undefined || lateFailure || ((missingEvidence.length > 0 || run.error !== undefined) && outcome.verdict !== 'unchecked');
      const why = [...(broken !== undefined ? [`the tracker broke at ${Math.round(broken.t / 100) / 10} s: ${broken.reason}`] : []), ...(lateFailure ? [late] : []), ...(run.error !== undefined ? [`the run broke off: ${run.error}`] : []), ...missingEvidence.map((id) => `no evidence that ${id} took effect`)];
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
        ...(broken !== undefined ? { trackerFailed: broken.reason } : {}),
      });
    }
    const warning = run.discriminates ? discriminationWarning(run.expect as Partial<Record<string, Expectation>>, observations, run.settledAtMs, (variant) => trackerInfoOf(run, variant).role) : undefined;
    if (warning !== undefined && !warnings.includes(warning)) warnings.push(warning);
  }
  return { results, warnings, evidence };
}

/** An expectation's outcome with the violations of the oracles it names added as failures. */
function withOracles(outcome: CheckOutcome, violations: readonly OracleViolation[]): CheckOutcome {
  if (violations.length === 0) return outcome;
  return { ...outcome, verdict: 'fail', failures: [...outcome.failures, ...violations.map((violation) => `${violation.oracle}: ${violation.message}`)] };
}
