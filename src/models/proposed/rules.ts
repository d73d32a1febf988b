/**
 * The proposed tracker's decisions as pure functions (rationale: docs/proposed-tracker.md).
 *
 * An observation is positive evidence (Flink reported a state; a successful API call showed the
 * deployment gone or the pod Failed) or it is unknown (a call failed or timed out). Unknown
 * never moves the console to a terminal state: it keeps the last known state for a short
 * grace, then shows SILENT, and LOST only after a long one.
 */
import type { PodView } from '../ports.ts';
import { parseConsoleState, type ConsoleState } from '../../states.ts';

export type Observation =
  /** Flink's REST API answered with the job's state (and the id it runs under). */
  | { kind: 'reported'; state: ConsoleState; jobId?: string }
  /** The Kubernetes API answered that the cluster is gone or has failed; `state` is the end state to show. */
  | { kind: 'ended'; state: ConsoleState; deploymentGone: boolean; evidence: string }
  /** Nothing reliable was learned this time. */
  | { kind: 'unknown'; why: string };

export interface ProposedTiming {
  pollIntervalMs: number;
  /** an observation that has not finished by then is abandoned as unknown */
  observationDeadlineMs: number;
  restConnectTimeoutMs: number;
  restResponseTimeoutMs: number;
  apiConnectTimeoutMs: number;
  apiRequestTimeoutMs: number;
  /** unknown for this long (since the last good observation) → SILENT */
  silentAfterMs: number;
  /** unknown for this long → LOST (still tracked: LOST is not an end state here) */
  lostAfterMs: number;
}

/** Derive the proposed tracker's timing from the profile's polling interval. */
export function proposedTiming(pollIntervalMs: number): ProposedTiming {
  return {
    pollIntervalMs,
    observationDeadlineMs: pollIntervalMs,
    restConnectTimeoutMs: Math.round(pollIntervalMs * 0.3),
    restResponseTimeoutMs: Math.round(pollIntervalMs * 0.6),
    apiConnectTimeoutMs: Math.round(pollIntervalMs * 0.3),
    apiRequestTimeoutMs: Math.round(pollIntervalMs * 0.6),
    silentAfterMs: pollIntervalMs * 3,
    lostAfterMs: pollIntervalMs * 120,
  };
}

/**
 * The application's job in a /jobs/overview: the one with its id; in application mode the
 * cluster runs only this job, so the one listed, whatever its id: a JobManager without HA
 * submits it again under a new id after a restart (real Flink does; StreamPark follows it too,
 * taking `jobs.head`).
 */
export function ownJob<Job extends { jid: string }>(jobs: readonly Job[] | undefined, trackId: { jobId: string; mode: string }): Job | undefined {
  const exact = jobs?.find((job) => job.jid === trackId.jobId);
  if (exact !== undefined || trackId.mode !== 'application' || jobs?.length !== 1) return exact;
  return jobs[0];
}

/** What the pods say when Flink's REST API did not answer: only a Failed pod is evidence. */
export function observePods(pods: readonly PodView[]): Observation {
  const pod = pods[0];
  if (pod === undefined) return { kind: 'unknown', why: 'deployment has no pod yet' };
  if (pod.phase === 'Failed') return { kind: 'ended', state: 'FAILED', deploymentGone: false, evidence: `pod ${pod.name} phase Failed` };
  return { kind: 'unknown', why: `JobManager not serving (pod ${pod.phase}, restarts ${pod.containers[0]?.restartCount ?? 0})` };
}

/** A deployment seen gone: the archived final state if Flink wrote one, else FAILED. */
export function observeDeploymentGone(archivedState: string | undefined): Observation {
  const state = archivedState === undefined ? 'FAILED' : parseConsoleState(archivedState);
  return { kind: 'ended', state, deploymentGone: true, evidence: archivedState === undefined ? 'deployment gone, no archive' : `deployment gone, archive says ${archivedState}` };
}

export interface AppView {
  shown: ConsoleState;
  /** start time of the earliest unknown observation since the last good one */
  unknownSince: number | undefined;
}

/**
 * The state to show after an observation that started at `startedAt`; undefined means keep
 * what is shown. Unknown ages from the first failed observation, not from the last success.
 */
export function nextShownState(view: AppView, observation: Observation, startedAt: number, timing: ProposedTiming): { shown?: ConsoleState; unknownSince: number | undefined } {
  if (observation.kind !== 'unknown') {
    return { shown: observation.state === view.shown ? undefined : observation.state, unknownSince: undefined };
  }
  const unknownSince = view.unknownSince ?? startedAt;
  const age = startedAt - unknownSince;
  if (isTerminal(view.shown)) return { unknownSince }; // an end state seen with evidence stays until new evidence
  if (age >= timing.lostAfterMs) return { shown: view.shown === 'LOST' ? undefined : 'LOST', unknownSince };
  if (age >= timing.silentAfterMs && view.shown !== 'SILENT' && view.shown !== 'LOST') return { shown: 'SILENT', unknownSince };
  return { unknownSince };
}

const TERMINAL: ReadonlySet<ConsoleState> = new Set(['FAILED', 'FINISHED', 'CANCELED']);
const ALERTING: ReadonlySet<ConsoleState> = new Set(['FAILED', 'FINISHED', 'CANCELED', 'LOST']);

export function isTerminal(state: ConsoleState): boolean {
  return TERMINAL.has(state);
}

/** Alerts go out for end states seen with evidence, and once for LOST (contact lost for long). */
export function alertsOn(state: ConsoleState): boolean {
  return ALERTING.has(state);
}
