/**
 * One schedule on the simulation: every chosen variant against the same world, then every chosen
 * oracle for each variant and job. Deterministic: the same schedule gives the same violations.
 *
 * The run lasts until every stop in it can be judged: the heal phase (schedule.ts) is a first
 * guess; when a stop's detection deadline — pushed back by the time nobody could see it — falls
 * later, the schedule runs again to that deadline plus two polls (the simulation is deterministic,
 * so the longer run is the shorter one continued). A stop that still cannot be judged (its
 * deadline beyond the longest scenario allowed) is counted as `unjudged`, never passed in silence.
 */
import { simBackend } from '../backends/sim/backend.ts';
import { checkOracles, type OracleViolation } from '../check/oracles.ts';
import { judgementHorizon, unjudgedStops } from '../check/stops.ts';
import { mechanismOf } from '../models/telemetry.ts';
import type { ScenarioRun } from '../record/run-record.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { LIMITS } from '../scenario/limits.ts';
import type { OracleRequest } from '../scenario/oracle-names.ts';
import { toScenario, type HealPhase, type Schedule, type ScheduleApp } from './schedule.ts';

export interface Evaluation {
  run: ScenarioRun;
  violations: OracleViolation[];
  /** stops some variant's oracles could not judge in the run (check/stops.ts) */
  unjudged: number;
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
/** Runs to a later horizon at most this often (a longer run can show a stop the shorter one ended before). */
const MAX_EXTENSIONS = 3;

export async function evaluate(schedule: Schedule, options: EvaluateOptions): Promise<Evaluation> {
  const play = (minDurationMs: number | undefined) => {
    const scenario = toScenario(schedule, { name: SCHEDULE_NAME, heal: options.heal, ...(options.app ? { app: options.app } : {}), ...(minDurationMs !== undefined ? { minDurationMs } : {}) });
    return runScenario(scenario, { backend: simBackend, variants: [...options.variants], seed: 1, runDir: '', signal: options.signal });
  };
  let run = await play(options.minDurationMs);
  // judged by oracles: on until every stop can be judged (a run judged by no oracle, as reproduce's, needs no more)
  const judged = options.oracles.length > 0;
  for (let extension = 0; judged && extension < MAX_EXTENSIONS; extension++) {
    const wanted = Math.min(LIMITS.durationMs, Math.ceil((judgementHorizon(run, options.variants) + 2 * run.timing.pollIntervalMs) / 1_000) * 1_000);
    if (wanted <= run.durationMs) break;
    run = await play(Math.max(wanted, options.minDurationMs ?? 0));
  }
  const violations: OracleViolation[] = [];
  for (const variant of options.variants) for (const app of run.apps) violations.push(...checkOracles(run, variant, app, options.oracles));
  return { run, violations, unjudged: judged ? unjudgedStops(run, options.variants).length : 0 };
}

/**
 * What groups violations into one finding: the variant, the oracle, the shape of the first
 * divergence — with the truth's transitional states (INITIALIZING, CREATED, not listed, …) read
 * as `starting` so that small timing differences do not split a finding — and the mechanism the
 * variant gave for the write behind it (models/telemetry.ts), so that two ways to the same lie
 * (an API error read as "gone", a restarted container read as an error) are two findings.
 */
export function signatureOf(violation: Pick<OracleViolation, 'variant' | 'oracle' | 'signature' | 'cause'>): string {
  const shape = violation.signature.replace(/\b(INITIALIZING|CREATED|RESTARTING|RECONCILING|not listed)\b/g, 'starting');
  const mechanism = violation.cause === undefined ? '' : ` · ${mechanismOf(violation.cause)}`;
  return `${violation.variant} · ${violation.oracle} · ${shape}${mechanism}`;
}
