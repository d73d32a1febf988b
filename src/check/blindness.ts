/**
 * When no tracker can observe a stop: neither source can tell it — and while the console process
 * is down. Flink's REST API tells while it serves and is under no fault. The Kubernetes API tells
 * while it is under no fault (on the API server, or on its path to etcd until etcd's client is
 * back) and there is something for it to show: the deployment gone or the JobManager not serving
 * (a job that ended or vanished inside a serving session cluster shows only in Flink). A stop
 * that falls there cannot be shown before one of them can tell (docs/proposed-tracker.md,
 * "detects"); the detects oracle gives a tracker that time on top of its bound.
 */
import type { ScenarioRun } from '../record/run-record.ts';
import { longestEtcdReconnectWallMs } from '../scenario/etcd-reconnect.ts';
import { stepSegments } from './segments.ts';

export interface Span {
  from: number;
  to: number;
}

/** Spans merged where they overlap or touch, in time order. */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((span) => span.to > span.from).sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

/** Where both sets of spans hold. */
export function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const found: Span[] = [];
  for (const x of union(a)) for (const y of union(b)) if (Math.min(x.to, y.to) > Math.max(x.from, y.from)) found.push({ from: Math.max(x.from, y.from), to: Math.min(x.to, y.to) });
  return union(found);
}

/** How much of [from, to) the spans cover. */
export function coveredWithin(spans: readonly Span[], from: number, to: number): number {
  return union(spans).reduce((sum, span) => sum + Math.max(0, Math.min(span.to, to) - Math.max(span.from, from)), 0);
}


/** When the console process itself was down (restart-tracker and its downtime): it claims nothing then. */
export function consoleDowntimes(run: Pick<ScenarioRun, 'actions'>): { from: number; to: number }[] {
  return run.actions.filter((action) => action.action === 'restart-tracker').map((action) => ({ from: action.atMs, to: action.atMs + (action.downtimeMs ?? 0) }));
}

type BlindnessRun = Pick<ScenarioRun, 'faults' | 'actions' | 'lanes' | 'durationMs' | 'timeScale'>;

function faultSpans(run: BlindnessRun, targets: readonly string[]): Span[] {
  return run.faults
    .filter((fault) => targets.includes(fault.spec.target))
    .map((fault) => {
      const to = fault.untilMs ?? run.durationMs;
      const scale = run.timeScale > 0 ? run.timeScale : 1;
      const reconnectMs = fault.spec.target === 'etcd' ? longestEtcdReconnectWallMs((to - fault.atMs) * scale) / scale : 0;
      return { from: fault.atMs, to: Math.min(run.durationMs, to + reconnectMs) };
    });
}

/** Where `spans` do not reach within [0, endMs). */
function complement(spans: readonly Span[], endMs: number): Span[] {
  const gaps: Span[] = [];
  let at = 0;
  for (const span of union(spans)) {
    if (span.from > at) gaps.push({ from: at, to: span.from });
    at = Math.max(at, span.to);
  }
  if (at < endMs) gaps.push({ from: at, to: endMs });
  return gaps;
}

/**
 * The spans in which neither Flink's REST API nor the Kubernetes API can tell a stop, and those in
 * which the console is down. `flinkOnly`: a stop only Flink can tell (a job its serving cluster no
 * longer has), blind whenever Flink cannot answer.
 */
export function blindSpans(run: BlindnessRun, flinkOnly = false): Span[] {
  const end = run.durationMs;
  const serving = stepSegments(run.lanes.truth, (entry) => (entry.restServing && entry.deploymentExists ? 'serving' : undefined), end);
  const restTells = intersect(serving, complement(faultSpans(run, ['flink-rest']), end));
  const somethingToShow = complement(serving, end);
  const apiTells = flinkOnly ? [] : intersect(somethingToShow, complement(faultSpans(run, ['apiserver', 'etcd']), end));
  return union([...complement([...restTells, ...apiTells], end), ...consoleDowntimes(run)]);
}

/**
 * When a stop at `from` must show: `boundMs` later, pushed back by the blind time inside the window
 * (which itself grows with it); and a console process that restarts meanwhile knows nothing of
 * what it observed before, so the bound counts again from its return.
 */
export function detectionDeadline(run: Pick<ScenarioRun, 'actions'>, blind: readonly Span[], from: number, boundMs: number): number {
  let deadline = deadlineAfter(blind, from, boundMs);
  for (const down of consoleDowntimes(run).sort((a, b) => a.to - b.to)) {
    if (down.to > from && down.from < deadline) deadline = Math.max(deadline, deadlineAfter(blind, down.to, boundMs));
  }
  return deadline;
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
