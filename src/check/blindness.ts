/**
 * When no tracker can observe a stop: neither source can tell it — and while the console process
 * is down. Flink's REST API tells while it serves and calls to it with the tracker's own timeouts
 * get an answer; the Kubernetes API tells while calls to it get an answer (check/reach.ts: the
 * evidence of the harness's probes, not the mere presence of a toxic) and there is something for
 * it to show: the deployment gone or the JobManager not serving (a job that ended or vanished
 * inside a serving session cluster shows only in Flink). A stop that falls there cannot be shown
 * before one of them can tell (docs/proposed-tracker.md, "detects"); the detects oracle gives a
 * tracker that time on top of its bound.
 *
 * Deafness is narrower: no source answers at all (promptly, within a poll). Only then is a state
 * kept from before the last thing the tracker knows; while some source answers, a tracker learns
 * at least that its other calls fail, and a stale claim is a claim (check/lies.ts).
 */
import type { ScenarioRun } from '../record/run-record.ts';
import type { TruthEntry } from '../record/truth.ts';
import { defaultBounds } from './bounds.ts';
import { detectionGrace, jobManagerDownSpans } from './job-truth.ts';
import { remembered } from './memo.ts';
import { contractTimeouts, pathReach, type ReachRun } from './reach.ts';
import { stepSegments } from './segments.ts';
import { complement, coveredWithin, intersect, union, type Span } from './spans.ts';

export { coveredWithin, intersect, union, type Span };

/** When the console process itself was down (restart-tracker and its downtime): it claims nothing then. */
export function consoleDowntimes(run: Pick<ScenarioRun, 'actions'>): Span[] {
  return run.actions.filter((action) => action.action === 'restart-tracker').map((action) => ({ from: action.atMs, to: action.atMs + (action.downtimeMs ?? 0) }));
}

export type BlindnessRun = ReachRun & Pick<ScenarioRun, 'actions' | 'trackers'>;

/** Where the JobManager serves Flink's REST API (and its deployment exists). */
function servingSpans(run: BlindnessRun): Span[] {
  return stepSegments(run.lanes.truth, (entry) => (entry.restServing && entry.deploymentExists ? 'serving' : undefined), run.durationMs);
}

/**
 * The spans in which neither Flink's REST API nor the Kubernetes API can tell `variant` a stop of
 * `kind`, and those in which the console is down. Flink tells while it serves. Kubernetes tells a
 * JobManager that does not serve (`away`: the stop is its absence); a stop of a job inside a
 * cluster that is there — its end reported by Flink, its vanishing from a session cluster — it
 * tells only once the JobManager is down for good or its deployment gone (a JobManager that comes
 * back may bring the job back, or not).
 */
export function blindSpans(run: BlindnessRun, variant: string, kind: StopKind = 'away'): Span[] {
  return remembered(run, `blind ${variant} ${kind}`, () => computeBlindSpans(run, variant, kind));
}

function computeBlindSpans(run: BlindnessRun, variant: string, kind: StopKind): Span[] {
  const end = run.durationMs;
  const timeouts = contractTimeouts(run, variant);
  const serving = servingSpans(run);
  const restTells = intersect(serving, pathReach(run, 'flink-rest', timeouts).answers);
  const kubernetesShows = kind === 'away' ? complement(serving, end) : jobManagerDownSpans(run);
  const apiTells = intersect(kubernetesShows, pathReach(run, 'apiserver', timeouts).answers);
  return union([...complement([...restTells, ...apiTells], end), ...consoleDowntimes(run)]);
}

/** A run's detection grace for one application (job-truth.ts detectionGrace), with the bounds of the run's own timing, the variant's blind time and console restarts. */
export function detectionGraceOf(run: BlindnessRun, app: string, variant: string): Span[] {
  const boundMs = defaultBounds(run.timing).detectsMs;
  return detectionGrace(run.lanes.truth, app, run.durationMs, boundMs, (absence, from) => {
    const kind = absence === 'away' ? 'away' : 'vanished';
    return detectionDeadline(run, blindSpans(run, variant, kind), from, boundMs, kind);
  });
}

/** Where Flink's REST API answers `variant`'s calls within a poll: it serves, and the path passes them. */
export function flinkAnswers(run: BlindnessRun, variant: string): Span[] {
  return intersect(servingSpans(run), pathReach(run, 'flink-rest', contractTimeouts(run, variant)).promptly);
}

/** The spans in which no source answers `variant`'s calls within a poll, and those in which the console is down. */
export function deafSpans(run: BlindnessRun, variant: string): Span[] {
  const apiAnswers = pathReach(run, 'apiserver', contractTimeouts(run, variant)).promptly;
  return union([...complement([...flinkAnswers(run, variant), ...apiAnswers], run.durationMs), ...consoleDowntimes(run)]);
}

/**
 * What a stop is, for a console that restarts while it has not shown it yet:
 *   seen      shows at once to any console once a source can tell (Flink reported the end, the deployment is gone)
 *   away      a JobManager that does not serve: its pod shows since when (the Ready condition's last transition)
 *   vanished  a session job its serving cluster no longer lists: only the tracker counts how long
 */
export type StopKind = 'seen' | 'away' | 'vanished';

/**
 * When a stop at `from` must show: `boundMs` later, pushed back by the blind time inside the window
 * (which itself grows with it). A console process that restarts meanwhile knows nothing of what it
 * observed before, so the bound counts again from what a fresh console can see: for a JobManager
 * away, from when its pod last stopped being ready (Kubernetes keeps showing it: a crash loop is as
 * plain after the restart as before); for a vanished session job, from the console's return; a
 * stop anyone sees at once is not reset.
 */
export function detectionDeadline(run: Pick<ScenarioRun, 'actions' | 'lanes'>, blind: readonly Span[], from: number, boundMs: number, kind: StopKind = 'seen'): number {
  let deadline = deadlineAfter(blind, from, boundMs);
  for (const down of consoleDowntimes(run).sort((a, b) => a.to - b.to)) {
    if (down.to <= from || down.from >= deadline) continue;
    const restart = countsAgainFrom(run.lanes.truth, kind, down.to);
    if (restart !== undefined && restart > from) deadline = Math.max(deadline, deadlineAfter(blind, restart, boundMs));
  }
  return deadline;
}

/** From when a console back at `returnAt` can count a stop of `kind` (undefined: it sees it at once). */
export function countsAgainFrom(truth: readonly TruthEntry[], kind: StopKind, returnAt: number): number | undefined {
  if (kind === 'seen') return undefined;
  if (kind === 'vanished') return returnAt;
  const index = truth.findLastIndex((entry) => entry.t <= returnAt);
  const entry = truth[index];
  if (entry === undefined || !entry.deploymentExists) return undefined; // the deployment gone shows at once
  if (entry.pod === undefined || entry.pod.ready) return returnAt; // no pod to say since when
  let since = index;
  while (since > 0 && truth[since - 1]!.pod?.name === entry.pod.name && truth[since - 1]!.pod?.ready === false && truth[since - 1]!.deploymentExists) since--;
  return truth[since]!.t;
}

/** `from + boundMs`, pushed back by the blind time inside the window (which itself grows with it). */
export function deadlineAfter(blind: readonly Span[], from: number, boundMs: number): number {
  let deadline = from + boundMs;
  for (let round = 0; round < 64; round++) {
    const next = from + boundMs + coveredWithin(blind, from, deadline);
    if (next === deadline) break;
    deadline = next;
  }
  return deadline;
}
