/**
 * Does a run explain the incident for one tracker? The truth must be what the engineer says it
 * was; the console trace the tracker wrote up to the end of the observation must match the
 * observed pattern (the trace language); each observed time must fall on a state shown within its
 * tolerance. When it does, the **mechanism** is why each state was written: the mechanism of the
 * `cause` the model put on the write that changed the console (models/telemetry.ts: its details —
 * times, pod names, errors — dropped), e.g. `FAILED ← a failed deployment list read as gone; no
 * archive: FAILED`. Explanations are grouped by it, as the explorer's findings are.
 */
import { isJobOver, jobTruthOf } from '../check/job-truth.ts';
import type { Segment } from '../check/segments.ts';
import { mechanismOf as causeMechanism } from '../models/telemetry.ts';
import type { ScenarioRun } from '../record/run-record.ts';
import { matchTrace, parsePattern, type TracePattern } from '../scenario/trace-pattern.ts';
import type { Truth } from './incident-schema.ts';
import type { Incident } from './incident.ts';

/** A state the console showed: from its first write, the write's cause. */
export interface ShownState {
  state: string;
  t: number;
  cause: string;
}

export type Judgement =
  | { explains: true; shown: ShownState[]; trace: string[]; mechanism: string }
  | { explains: false; why: 'truth' | 'trace' | 'times'; trace: string[] };

/** What the judge needs of an incident (it runs in worker threads: plain data, the pattern compiled once). */
export interface CompiledIncident {
  incident: Incident;
  pattern: TracePattern;
}

export function compileIncident(incident: Incident): CompiledIncident {
  return { incident, pattern: parsePattern(incident.observed.trace) };
}

/** The states the tracker showed for a job up to `endMs`, ignored states left out, repeats collapsed. */
export function shownStates(run: ScenarioRun, variant: string, job: string, endMs: number, ignore: readonly string[]): ShownState[] {
  const shown: ShownState[] = [];
  for (const write of run.lanes.variants[variant]?.writes ?? []) {
    if (write.app !== job || write.t > endMs || ignore.includes(write.state)) continue;
    if (shown[shown.length - 1]?.state !== write.state) shown.push({ state: write.state, t: write.t, cause: write.cause });
  }
  return shown;
}

/** Did the job do what the incident says it did, up to the end of the observation? */
export function truthHolds(truth: Truth, segments: readonly Segment[], endMs: number): boolean {
  const upToEnd = segments.filter((segment) => segment.from < endMs);
  const last = upToEnd[upToEnd.length - 1]?.value;
  switch (truth) {
    case 'unknown':
      return true;
    case 'running': // it kept running: it never ended (a JobManager away and back is no end)
      return !upToEnd.some((segment) => isJobOver(segment.value));
    case 'finished':
      return last === 'FINISHED';
    case 'canceled':
      return last === 'CANCELED';
    case 'failed': // Flink's FAILED, or a JobManager that never came back
      return last === 'FAILED' || (last !== undefined && isJobOver(last) && !['FINISHED', 'CANCELED'].includes(last));
  }
}

/** Each observed time, in order, on a later shown state of its name within its tolerance. */
function timesHold(incident: Incident, shown: readonly ShownState[]): boolean {
  let from = 0;
  for (const time of incident.observed.times) {
    const index = shown.findIndex((entry, position) => position >= from && entry.state === time.state && Math.abs(entry.t - time.atMs) <= time.toleranceMs);
    if (index < 0) return false;
    from = index + 1;
  }
  return true;
}

/** Why the console changed, one step per state after the first: each write's mechanism, without what varies between runs of it. */
export function mechanismOf(variant: string, shown: readonly ShownState[]): string {
  const steps = shown.slice(1).map((entry) => `${entry.state} ← ${causeMechanism(entry.cause)}`);
  return `${variant} · ${steps.join(' · ') || 'no change'}`;
}

export function judge(run: ScenarioRun, compiled: CompiledIncident, variant: string): Judgement {
  const { incident } = compiled;
  const shown = shownStates(run, variant, incident.observed.job, incident.endMs, incident.observed.ignore);
  const trace = shown.map((entry) => entry.state);
  if (!truthHolds(incident.truth, jobTruthOf(run, incident.observed.job), incident.endMs)) return { explains: false, why: 'truth', trace };
  if (!matchTrace(compiled.pattern, trace).ok) return { explains: false, why: 'trace', trace };
  if (!timesHold(incident, shown)) return { explains: false, why: 'times', trace };
  return { explains: true, shown, trace, mechanism: mechanismOf(variant, shown) };
}
