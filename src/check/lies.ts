/**
 * Which variant lied, when, and during which fault: each variant's console state compared with
 * the truth's job state over time.
 *
 * The rule (docs/reports.md): a console state makes a claim, which the tracker's system says
 * (check/claims.ts): the job is live, it is over, or nothing settled. A claim disagrees with the
 * truth when it says live while the job is over, over while it is live (running or coming back),
 * or names a different end (FAILED for a FINISHED job; an end that names none, like LOST, fits
 * any end, and any end fits a job that is down: check/job-truth.ts). A disagreement is a *lie* when it lasts
 * longer than three poll intervals (a tracker may need a whole interval to poll again, and the
 * poll may take two: check/bounds.ts); a shorter false end state is a *false alarm* (it still
 * wrote the state, and may have alerted).
 */
import type { ScenarioRun } from '../record/run-record.ts';
import type { ScheduledAction, ScheduledFault } from '../scenario/types.ts';
import { defaultBounds } from './bounds.ts';
import { consoleDowntimes, deafSpans, detectionGraceOf, type BlindnessRun } from './blindness.ts';
import { jobTruthOf } from './job-truth.ts';
import { claimOf, disagrees } from './claims.ts';
import { systemOf } from '../record/tracker-info.ts';
import { consoleSegments, valueAt } from './segments.ts';

export interface Lie {
  variant: string;
  app: string;
  /** the console state shown */
  state: string;
  from: number;
  to: number;
  /** it still showed it when the run ended */
  toEnd: boolean;
  /** the truth's job states meanwhile, longest first */
  truth: string[];
  /** a lie (longer than the tolerance) or a false alarm (a shorter false end state) */
  kind: 'lie' | 'false alarm';
}

/** How long a disagreement may last before it counts as a lie: 3 poll intervals of the run's timing (check/bounds.ts). */
export function lieToleranceMs(run: Pick<ScenarioRun, 'timing'>): number {
  return defaultBounds(run.timing).truthfulMs;
}

/** Every lie and false alarm of one variant about one application, in time order. */
export function findLies(run: BlindnessRun, variant: string, app: string, toleranceMs: number): Lie[] {
  const lane = run.lanes.variants[variant];
  if (lane === undefined || run.lanes.truth.length === 0) return [];
  const system = systemOf(run, variant);
  const end = run.durationMs;
  const shown = consoleSegments(lane, app, end);
  const truth = jobTruthOf(run, app);
  const grace = detectionGraceOf(run, app, variant);
  const consoleDown = consoleDowntimes(run);
  const deaf = deafSpans(run, variant);
  const within = (spans: readonly { from: number; to: number }[], t: number) => spans.some((span) => span.from <= t && t < span.to);
  const cuts = [...new Set([...shown, ...truth, ...grace, ...deaf].flatMap((segment) => [segment.from, segment.to]))].sort((a, b) => a - b);
  // a state kept while no source answers is the last thing known; one written then is a claim
  // without evidence, and while some source answers the tracker knows at least that the others fail
  const keptThroughDeafness = (t: number) => {
    const span = deaf.find((candidate) => candidate.from <= t && t < candidate.to);
    const segment = shown.find((candidate) => candidate.from <= t && t < candidate.to);
    return span !== undefined && segment !== undefined && segment.from <= span.from;
  };
  // elementary intervals where neither lane changes, merged while the same console state disagrees
  const spans: { state: string; from: number; to: number; truth: Map<string, number> }[] = [];
  for (let index = 0; index + 1 < cuts.length; index++) {
    const from = cuts[index]!;
    const to = cuts[index + 1]!;
    const state = valueAt(shown, from);
    const real = valueAt(truth, from);
    if (state === undefined || real === undefined || !disagrees(system, state, real)) continue;
    if (claimOf(system, state) === 'live' && within(grace, from)) continue; // away (or missing) not long enough to count
    if (within(consoleDown, from)) continue; // the console process is down: it shows nothing, to anyone
    if (keptThroughDeafness(from)) continue;
    const last = spans[spans.length - 1];
    const open = last !== undefined && last.state === state && last.to === from ? last : undefined;
    const span = open ?? { state, from, to, truth: new Map<string, number>() };
    span.to = to;
    span.truth.set(real, (span.truth.get(real) ?? 0) + (to - from));
    if (open === undefined) spans.push(span);
  }
  return spans
    .map((span): Lie => ({
      variant,
      app,
      state: span.state,
      from: span.from,
      to: span.to,
      toEnd: span.to >= end,
      truth: [...span.truth].sort((a, b) => b[1] - a[1]).map(([state]) => state),
      kind: span.to - span.from > toleranceMs ? 'lie' : 'false alarm',
    }))
    .filter((lie) => lie.kind === 'lie' || claimOf(system, lie.state) === 'over');
}

/** What was going on when a lie began: the faults active then (else the last one healed before), and the last action before it. */
export function blameFor(run: Pick<ScenarioRun, 'faults' | 'actions' | 'durationMs'>, from: number): { faults: ScheduledFault[]; action: ScheduledAction | undefined } {
  const active = run.faults.filter((fault) => fault.atMs <= from && from <= (fault.untilMs ?? run.durationMs));
  const healed = run.faults.filter((fault) => (fault.untilMs ?? run.durationMs) < from).sort((a, b) => (b.untilMs ?? 0) - (a.untilMs ?? 0));
  const action = run.actions.filter((candidate) => candidate.atMs <= from).sort((a, b) => b.atMs - a.atMs)[0];
  return { faults: active.length > 0 ? active : healed.slice(0, 1), action };
}
