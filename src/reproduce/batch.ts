/**
 * One batch of the incident search: up to 32 schedules the incident allows, drawn by fast-check
 * from the batch's seed, each run on the simulation with the trackers it may have been and judged
 * (judge.ts). Each mechanism not known before is shrunk to the smallest schedule that still
 * explains the incident the same way, then run with every variant for the fix certificate. A
 * worker thread runs a whole batch alone; the same task always gives the same result.
 */
import fc from 'fast-check';
import { checkOracles } from '../check/oracles.ts';
import { BATCH_SIZE, type BatchTask } from '../explore/batch-loop.ts';
import { evaluate } from '../explore/evaluate.ts';
import type { HealPhase, Schedule } from '../explore/schedule.ts';
import { shrinkSchedule } from '../explore/shrink.ts';
import type { ScenarioRun } from '../record/run-record.ts';
import type { OracleRequest } from '../scenario/oracle-names.ts';
import { normalizeTrace } from '../scenario/trace-pattern.ts';
import { incidentArbitrary } from './incident-arbitrary.ts';
import type { Incident } from './incident.ts';
import { compileIncident, judge, type CompiledIncident, type ShownState } from './judge.ts';

/** What "would have shown the truth" means: the harness's truth oracles, at their default bounds. */
export const TRUTH_ORACLES: readonly OracleRequest[] = [{ name: 'truthful' }, { name: 'converges' }];

export interface ReproduceSettings {
  incident: Incident;
  /** the trackers whose console may have written the observed trace */
  trackers: string[];
  /** the variants run on each explanation's schedule for the certificate */
  certify: string[];
  heal: HealPhase;
}

export interface CertificateEntry {
  variant: string;
  /** held the truth oracles on the explanation's schedule */
  showsTruth: boolean;
  /** its console trace there (to the end of the run) */
  trace: string[];
  /** the oracles it broke, in words */
  violations: string[];
}

export interface BatchExplanation {
  mechanism: string;
  tracker: string;
  /** the schedule's index in the batch (fast-check's path to replay it) */
  index: number;
  original: Schedule;
  schedule: Schedule;
  shrinkSteps: number;
  /** what the tracker showed on the shrunk schedule, to the end of the observation */
  shown: ShownState[];
  /** the shrunk schedule's run with every variant */
  run: ScenarioRun;
  certificate: CertificateEntry[];
}

export interface ReproduceBatchResult {
  schedules: number;
  /** per mechanism, in how many of the batch's schedules it explained the incident */
  seen: Record<string, number>;
  explanations: BatchExplanation[];
  /** schedules that explained nothing, by the first thing that did not fit */
  misses: { truth: number; trace: number; times: number };
  /** per tracker, the traces it wrote in schedules that explained nothing (what was tried) */
  traces: Record<string, Record<string, number>>;
}

export interface ReproduceContext {
  signal?: AbortSignal;
  onShrink?: (mechanism: string) => void;
}

/** What a thread builds once and reuses for every batch. */
export interface Prepared {
  settings: ReproduceSettings;
  compiled: CompiledIncident;
  arbitrary: fc.Arbitrary<Schedule>;
}

export function prepare(settings: ReproduceSettings): Prepared {
  return { settings, compiled: compileIncident(settings.incident), arbitrary: incidentArbitrary(settings.incident) };
}

function run(prepared: Prepared, schedule: Schedule, variants: readonly string[], signal?: AbortSignal): Promise<ScenarioRun> {
  const { incident, heal } = prepared.settings;
  return evaluate(schedule, { variants, oracles: [], heal, app: incident.app, minDurationMs: incident.endMs, ...(signal ? { signal } : {}) }).then((evaluation) => evaluation.run);
}

export async function reproduceBatch(task: BatchTask, prepared: Prepared, context: ReproduceContext = {}): Promise<ReproduceBatchResult> {
  const known = new Set(task.known);
  const stopped = () => context.signal?.aborted === true || (task.stopAt !== undefined && Date.now() >= task.stopAt);
  const result: ReproduceBatchResult = { schedules: 0, seen: {}, explanations: [], misses: { truth: 0, trace: 0, times: 0 }, traces: {} };
  const schedules = fc.sample(prepared.arbitrary, { seed: task.batchSeed, numRuns: BATCH_SIZE }).slice(0, task.limit);
  for (const [index, schedule] of schedules.entries()) {
    if (stopped()) break;
    let outcome: ScenarioRun;
    try {
      outcome = await run(prepared, schedule, prepared.settings.trackers, context.signal);
    } catch (error) {
      if (context.signal?.aborted) break; // interrupted mid-run: keep what was found
      throw error;
    }
    result.schedules += 1;
    let explained = false;
    for (const tracker of prepared.settings.trackers) {
      const judgement = judge(outcome, prepared.compiled, tracker);
      if (!judgement.explains) {
        const traces = (result.traces[tracker] ??= {});
        const trace = judgement.trace.join(' → ');
        traces[trace] = (traces[trace] ?? 0) + 1;
        continue;
      }
      explained = true;
      result.seen[judgement.mechanism] = (result.seen[judgement.mechanism] ?? 0) + 1;
      if (known.has(judgement.mechanism)) continue;
      known.add(judgement.mechanism);
      context.onShrink?.(judgement.mechanism);
      const explanation = await shrinkExplanation(prepared, { mechanism: judgement.mechanism, tracker, schedule, index }, task.batchSeed, context.signal);
      if (explanation !== undefined) result.explanations.push(explanation);
      if (context.signal?.aborted) break;
    }
    if (!explained) {
      const first = prepared.settings.trackers.map((tracker) => judge(outcome, prepared.compiled, tracker)).find((judgement) => !judgement.explains);
      if (first !== undefined && !first.explains) result.misses[first.why] += 1;
    }
  }
  return result;
}

/**
 * The smallest schedule that explains the incident by the same mechanism (fast-check replays the
 * batch to the schedule and shrinks it), run with every variant for the certificate. Undefined
 * when it does not explain it again (it always should: runs are deterministic).
 */
export async function shrinkExplanation(prepared: Prepared, found: { mechanism: string; tracker: string; schedule: Schedule; index: number }, batchSeed: number, signal: AbortSignal | undefined): Promise<BatchExplanation | undefined> {
  const explainsAlike = async (schedule: Schedule) => {
    if (signal?.aborted) return false; // stop shrinking at once: keep what we have
    const judgement = judge(await run(prepared, schedule, [found.tracker]), prepared.compiled, found.tracker);
    return judgement.explains && judgement.mechanism === found.mechanism;
  };
  const shrunk = await shrinkSchedule(prepared.arbitrary, { batchSeed, index: found.index }, explainsAlike);
  const schedule = shrunk.schedule ?? found.schedule;
  // the certificate's run is never cut short: an explanation is kept whole or not at all
  const full = await run(prepared, schedule, prepared.settings.certify);
  const judgement = judge(full, prepared.compiled, found.tracker);
  if (!judgement.explains || judgement.mechanism !== found.mechanism) return undefined;
  return { mechanism: found.mechanism, tracker: found.tracker, index: found.index, original: found.schedule, schedule, shrinkSteps: shrunk.numShrinks, shown: judgement.shown, run: full, certificate: certify(full, prepared.settings) };
}

/** Per variant on the same schedule: would it have shown the truth (the truth oracles hold), and what it wrote. */
export function certify(full: ScenarioRun, settings: ReproduceSettings): CertificateEntry[] {
  const job = settings.incident.observed.job;
  return settings.certify.map((variant) => {
    const violations = checkOracles(full, variant, job, TRUTH_ORACLES);
    const writes = full.lanes.variants[variant]?.writes.filter((write) => write.app === job).map((write) => write.state) ?? [];
    return { variant, showsTruth: violations.length === 0, trace: normalizeTrace(writes), violations: violations.map((violation) => `${violation.oracle}: ${violation.message}`) };
  });
}
