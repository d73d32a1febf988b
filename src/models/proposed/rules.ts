/**
 * The proposed tracker's decisions as pure functions (its contract: docs/proposed-tracker.md).
 *
 * An observation either is positive evidence — Flink reported the job's state; Flink answered
 * without the job; a successful Kubernetes call showed the deployment gone, every JobManager pod
 * Failed, or the JobManager not serving — or it is unknown (a call failed or timed out). Unknown
 * never moves the console to an end state: it keeps the last known state for a short grace, then
 * shows SILENT, for as long as it lasts. A JobManager that does not serve for `downAfterMs`, or a
 * session job missing from a serving cluster for `vanishedAfterMs`, is a real stop.
 */
import type { PodView } from '../ports.ts';
import { because, mechanismOf } from '../telemetry.ts';
import { parseConsoleState, type ConsoleState } from '../../systems/streampark.ts';

export type Observation =
  /** Flink's REST API answered with the job's state, under the job id it runs with now. */
  | { kind: 'reported'; state: ConsoleState; jobId: string }
  /** A successful Kubernetes call showed the deployment gone; `archived`: the history archive's final state, if any. */
  | { kind: 'gone'; archived: string | undefined }
  /** Every JobManager pod is in phase Failed. */
  | { kind: 'pods-failed'; evidence: string }
  /** Kubernetes shows the JobManager not serving (no pod, Pending, not ready, crash-looping); `since`: when its pod stopped being ready, as Kubernetes shows it */
  | { kind: 'away'; why: string; since?: number }
  /** Flink answered, and the (session) job is not among its jobs. */
  | { kind: 'missing'; why: string }
  /** Nothing reliable was learned this time; `podServing`: the API showed the JobManager pod serving (Flink's REST API did not answer). */
  | { kind: 'unknown'; why: string; podServing?: true };

export interface ProposedTiming {
  pollIntervalMs: number;
  /** an observation that has not finished this long after it started is abandoned as unknown */
  observationDeadlineMs: number;
  /**
   * a cancel call not settled this long after it started is given up as failed: a call's timeouts
   * bound each read, not the whole answer, and CANCELLING fences the observations meanwhile
   */
  cancelDeadlineMs: number;
  restConnectTimeoutMs: number;
  restResponseTimeoutMs: number;
  apiConnectTimeoutMs: number;
  apiRequestTimeoutMs: number;
  /** the JobManager seen not serving for this long → FAILED, alerted (it is down for good) */
  downAfterMs: number;
  /** a session job missing from its serving cluster for this long → LOST, alerted */
  vanishedAfterMs: number;
}

/**
 * The timing, from the polling interval P alone. A call's timeout fits the interval (a REST
 * answer that takes most of an interval is still an answer), the observation's deadline is
 * absolute — two intervals from its start, room for the REST call and the two Kubernetes calls
 * after it — and a new observation starts every interval whatever the older ones are doing.
 */
export function proposedTiming(pollIntervalMs: number): ProposedTiming {
  return {
    pollIntervalMs,
    observationDeadlineMs: pollIntervalMs * 2,
    cancelDeadlineMs: pollIntervalMs * 2,
    restConnectTimeoutMs: Math.round(pollIntervalMs * 0.3),
    restResponseTimeoutMs: pollIntervalMs,
    apiConnectTimeoutMs: Math.round(pollIntervalMs * 0.3),
    apiRequestTimeoutMs: Math.round(pollIntervalMs * 0.4),
    // first seen ≤ 1 poll after it stopped, judged at a poll, by an observation of ≤ 2 polls: 24 polls
    downAfterMs: pollIntervalMs * 21,
    vanishedAfterMs: pollIntervalMs * 12,
  };
}

/**
 * The application's job in a /jobs/overview: the one with its id; in application mode the
 * cluster runs this job only, so the one job listed, whatever its id — a JobManager restarted
 * without HA submits it again under a new id.
 */
export function ownJob<Job extends { jid: string }>(jobs: readonly Job[] | undefined, trackId: { jobId: string; mode: string }): Job | undefined {
  const exact = jobs?.find((job) => job.jid === trackId.jobId);
  if (exact !== undefined || trackId.mode !== 'application' || jobs?.length !== 1) return exact;
  return jobs[0];
}

const PHASE_RANK: Readonly<Record<string, number>> = { Running: 1, Pending: 2, Unknown: 2, Succeeded: 3, Failed: 3 };

function serving(pod: PodView): boolean {
  return pod.phase === 'Running' && pod.containers.length > 0 && pod.containers.every((container) => container.ready);
}

/**
 * The pod that speaks for the JobManager: never one being deleted while another exists (the old
 * pod of a rollout), never a Failed one while another is not (an evicted pod left behind beside
 * its replacement); among the rest, a serving pod before a Running one before a Pending one, then
 * the order listed.
 */
export function decidingPod(pods: readonly PodView[]): PodView | undefined {
  const current = pods.filter((pod) => pod.terminating !== true);
  const candidates = current.length > 0 ? current : pods;
  const rank = (pod: PodView) => (serving(pod) ? 0 : (PHASE_RANK[pod.phase] ?? 2));
  return candidates.reduce<PodView | undefined>((best, pod) => (best === undefined || rank(pod) < rank(best) ? pod : best), undefined);
}

/** What the pods say when Flink's REST API did not answer (`pick`: which pod decides). */
export function observePods(pods: readonly PodView[], pick: (pods: readonly PodView[]) => PodView | undefined = decidingPod): Observation {
  const pod = pick(pods);
  if (pod === undefined) return { kind: 'away', why: 'JobManager not serving: no pod' };
  if (pod.phase === 'Failed') return { kind: 'pods-failed', evidence: because('every JobManager pod Failed', `pod ${pod.name}${pods.length > 1 ? `, every one of ${pods.length}` : ''}`) };
  if (serving(pod)) return { kind: 'unknown', why: because('Flink did not answer, its pod is ready', `pod ${pod.name}`), podServing: true };
  const container = pod.containers[0];
  const waiting = container?.waitingReason === undefined ? '' : `, ${container.waitingReason}`;
  return { kind: 'away', why: because('JobManager not serving', `pod ${pod.name} ${pod.phase}, not ready, restarts ${container?.restartCount ?? 0}${waiting}`), ...(pod.readyChangedAt !== undefined ? { since: pod.readyChangedAt } : {}) };
}

/** What the tracker knows of one application between observations. */
export interface AppView {
  shown: ConsoleState;
  /** start of the first observation that saw the JobManager not serving, since it last served */
  awaySince: number | undefined;
  /** start of the first observation that saw the serving cluster without the job */
  missingSince: number | undefined;
  /** the last end state Flink itself reported (cleared when it reports the job live again) */
  flinkEnd: ConsoleState | undefined;
  /** a user cancelled the job from the console: CANCELED is what they asked for, not an alert */
  userCancelled: boolean;
  /** Flink accepted that cancel: a deployment that then goes without an archive was cancelled */
  cancelAccepted: boolean;
  /** the end state shown was inferred from a JobManager not serving for long (not reported by anyone) */
  endFromAbsence: boolean;
}

/** What to do after an observation: the new view, the state to write (if it changes), whether to alert, whether to stop tracking. */
export interface Decision {
  view: AppView;
  write: ConsoleState | undefined;
  alert: boolean;
  untrack: boolean;
  cause: string;
}

export function initialView(shown: ConsoleState): AppView {
  return { shown, awaySince: undefined, missingSince: undefined, flinkEnd: undefined, userCancelled: false, cancelAccepted: false, endFromAbsence: false };
}

const TERMINAL: ReadonlySet<ConsoleState> = new Set(['FAILED', 'FINISHED', 'CANCELED', 'LOST']);
const FLINK_END: ReadonlySet<ConsoleState> = new Set(['FAILED', 'FINISHED', 'CANCELED']);

/** FAILED, FINISHED, CANCELED, and LOST (a session job its cluster no longer knows). */
export function isTerminal(state: ConsoleState): boolean {
  return TERMINAL.has(state);
}

/** Alerts go out for end states, except the CANCELED a user asked for. */
export function alertsOn(state: ConsoleState, view: Pick<AppView, 'userCancelled'>): boolean {
  return TERMINAL.has(state) && !(state === 'CANCELED' && view.userCancelled);
}

/**
 * How a job ended when nobody saw it end (its deployment gone without an archive, its JobManager
 * down for good): the end Flink last reported, else CANCELED if Flink accepted a cancel from the
 * console, else LOST — it is over, and how is unknown (a job may finish a second before its
 * JobManager dies, or its cluster removes itself). With the cause, for the console.
 */
export function inferredEnd(view: Pick<AppView, 'flinkEnd' | 'cancelAccepted'>): [ConsoleState, string] {
  if (view.flinkEnd !== undefined) return [view.flinkEnd, 'the end Flink last reported'];
  if (view.cancelAccepted) return ['CANCELED', 'Flink accepted the cancel from the console'];
  return ['LOST', 'nobody reported how the job ended'];
}

/**
 * What a stale observation (fenced by a cancel, or overtaken by a newer one) still tells: it is not
 * shown — it may have read Flink before the cancel — but an end Flink reported in it is a fact that
 * no earlier read contradicts (a job reported over stays over), kept for the end inferred if the
 * deployment then goes without an archive: the user's cancel, seen CANCELED, is not LOST.
 */
export function endFromStale(view: AppView, observation: Observation): AppView {
  if (observation.kind !== 'reported' || !FLINK_END.has(observation.state) || view.flinkEnd !== undefined) return view;
  return { ...view, flinkEnd: observation.state };
}

/** The rules `decide` asks: a variant may replace them (rule-set.ts). */
export interface DecisionRules {
  isTerminal(state: ConsoleState): boolean;
  alertsOn(state: ConsoleState, view: Pick<AppView, 'userCancelled'>): boolean;
  inferredEnd(view: Pick<AppView, 'flinkEnd' | 'cancelAccepted'>): [ConsoleState, string];
}

/** The decision after an observation that started at `startedAt` (rules: docs/proposed-tracker.md). */
export function decide(view: AppView, observation: Observation, startedAt: number, timing: ProposedTiming, rules: DecisionRules = { isTerminal, alertsOn, inferredEnd }): Decision {
  const { isTerminal, alertsOn, inferredEnd } = rules;
  const show = (next: AppView, state: ConsoleState, cause: string, untrack = false, fromAbsence = false): Decision => {
    const changed = state !== view.shown;
    const shown = { ...next, shown: state, endFromAbsence: fromAbsence };
    // one alert per end (rule 11): an end that corrects an end already alerted (LOST, then Flink's FAILED) is written, not alerted again
    const alertedAlready = isTerminal(view.shown) && alertsOn(view.shown, view);
    return { view: shown, write: changed || untrack ? state : undefined, alert: changed && alertsOn(state, shown) && !alertedAlready, untrack, cause };
  };
  const keep = (next: AppView, cause: string): Decision => ({ view: next, write: undefined, alert: false, untrack: false, cause });
  switch (observation.kind) {
    case 'reported': {
      const flinkEnd = FLINK_END.has(observation.state) ? observation.state : undefined;
      const live = observation.state === 'RUNNING';
      return show({ ...view, awaySince: undefined, missingSince: undefined, flinkEnd, userCancelled: view.userCancelled && !live, cancelAccepted: view.cancelAccepted && !live }, observation.state, 'Flink reports it');
    }
    case 'gone': {
      const [state, source] = observation.archived !== undefined ? [parseConsoleState(observation.archived), "the archive's end"] : inferredEnd(view);
      return show({ ...view, awaySince: undefined, missingSince: undefined }, state, `deployment gone; ${source}`, true);
    }
    case 'pods-failed':
      return show({ ...view, awaySince: undefined }, 'FAILED', observation.evidence);
    case 'away': {
      // since it was first seen away, or since its pod shows it stopped being ready (which a console that restarts meanwhile sees as well)
      const next = { ...view, awaySince: view.awaySince ?? Math.min(startedAt, observation.since ?? startedAt) };
      if (isTerminal(view.shown)) return keep(next, observation.why);
      // a job already missing stays missing while its JobManager is away: that does not bring it back
      if (next.missingSince !== undefined && startedAt - next.missingSince >= timing.vanishedAfterMs) return show(next, 'LOST', because('session job missing long enough, its JobManager not serving: the cluster lost it', `missing since ${Math.round(next.missingSince / 1000)} s`));
      if (startedAt - next.awaySince >= timing.downAfterMs) {
        const [state, source] = inferredEnd(next);
        return show(next, state, because(`${mechanismOf(observation.why)} long enough: down for good; ${source}`, `away since ${Math.round(next.awaySince / 1000)} s`), false, true);
      }
      return silent(next, observation.why);
    }
    case 'missing': {
      // Flink answered: its JobManager serves, whatever it says of the job
      const next = { ...view, awaySince: undefined, missingSince: view.missingSince ?? startedAt };
      if (isTerminal(view.shown)) return keep(next, observation.why);
      if (startedAt - next.missingSince >= timing.vanishedAfterMs) return show(next, 'LOST', because(`${mechanismOf(observation.why)} long enough: the cluster lost it`, `missing since ${Math.round(next.missingSince / 1000)} s`));
      return silent(next, observation.why);
    }
    case 'unknown': {
      // a FAILED inferred from the JobManager's absence is withdrawn when its pod serves again; Flink's word is awaited
      if (view.endFromAbsence && observation.podServing === true) return silent({ ...view, awaySince: undefined }, `${mechanismOf(observation.why)}: the JobManager is back`);
      // a pod seen serving ends an absence, even if Flink cannot be reached to say so
      const next = observation.podServing === true ? { ...view, awaySince: undefined } : view;
      if (isTerminal(view.shown)) return keep(next, observation.why); // an end state seen with evidence stays until new evidence
      return silent(next, observation.why);
    }
  }

  function silent(next: AppView, why: string): Decision {
    return next.shown === 'SILENT' ? keep(next, why) : show(next, 'SILENT', why);
  }
}
