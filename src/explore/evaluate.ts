/**
 * One schedule on the simulation: every chosen variant against the same world, then every chosen
 * oracle for each variant and job. Deterministic: the same schedule gives the same violations.
 */
import { simBackend } from '../backends/sim/backend.ts';
import { checkOracles, type OracleViolation } from '../check/oracles.ts';
import type { ScenarioRun } from '../record/run-record.ts';
import { runScenario } from '../runner/run-scenario.ts';
import type { OracleRequest } from '../scenario/oracle-names.ts';
import { toScenario, type HealPhase, type Schedule, type ScheduleApp } from './schedule.ts';

export interface Evaluation {
  run: ScenarioRun;
  violations: OracleViolation[];
}

export interface EvaluateOptions {
  variants: readonly string[];
  oracles: readonly OracleRequest[];
  heal: HealPhase;
  signal?: AbortSignal;
  /** the app to run in (default: the explorer's app of the schedule's mode) */
  app?: ScheduleApp;
  /** the run lasts at least this long */
  minDurationMs?: number;
}

/** The name a schedule's scenario runs under. */
const SCHEDULE_NAME = 'explored';

export async function evaluate(schedule: Schedule, options: EvaluateOptions): Promise<Evaluation> {
  const scenario = toScenario(schedule, { name: SCHEDULE_NAME, heal: options.heal, ...(options.app ? { app: options.app } : {}), ...(options.minDurationMs !== undefined ? { minDurationMs: options.minDurationMs } : {}) });
  const run = await runScenario(scenario, { backend: simBackend, variants: [...options.variants], seed: 1, runDir: '', signal: options.signal });
  const violations: OracleViolation[] = [];
  for (const variant of options.variants) for (const app of run.apps) violations.push(...checkOracles(run, variant, app, options.oracles));
  return { run, violations };
}

/**
 * What groups violations into one finding: the variant, the oracle and the shape of the first
 * divergence, with the truth's transitional states (INITIALIZING, CREATED, not listed, …) read
 * as `starting` so that small timing differences do not split a finding.
 */
export function signatureOf(violation: Pick<OracleViolation, 'variant' | 'oracle' | 'signature'>): string {
  const shape = violation.signature.replace(/\b(INITIALIZING|CREATED|RESTARTING|RECONCILING|not listed)\b/g, 'starting');
  return `${violation.variant} · ${violation.oracle} · ${shape}`;
}
