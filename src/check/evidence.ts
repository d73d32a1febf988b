/**
 * Proof that each fault and action took effect, read from the lanes: a call through the
 * faulted target failed or was slowed during the window, the container's restart count went
 * up, the pod or deployment went away. A scenario whose faults left no trace is inconclusive.
 */
import type { TruthEntry } from '../record/truth.ts';
import type { ScheduledAction, ScheduledFault } from '../scenario/types.ts';
import type { PollEntry } from '../record/run-record.ts';
import { callPath, toxic } from '../scenario/toxics.ts';

/** How much slower than usual a call through the fault must be to count as delayed by it. */
function slowdownThresholdMs(fault: ScheduledFault): number {
  return toxic(fault.spec.toxic).evidenceThresholdMs(fault.spec.attributes);
}

export function faultEvidence(fault: ScheduledFault, polls: readonly PollEntry[], endMs: number): string[] {
  const until = fault.untilMs ?? endMs;
  const threshold = slowdownThresholdMs(fault);
  const seen: string[] = [];
  for (const poll of polls) {
    if (poll.target !== callPath(fault.spec.target) || poll.t > until || poll.t + poll.ms < fault.atMs) continue;
    if (poll.outcome !== 'ok') seen.push(`${poll.call} ${poll.outcome} at ${(poll.t / 1000).toFixed(3)}s`);
    else if (poll.ms >= threshold) seen.push(`${poll.call} took ${Math.round(poll.ms)}ms at ${(poll.t / 1000).toFixed(3)}s`);
    if (seen.length >= 3) break;
  }
  return seen;
}

export function actionEvidence(action: ScheduledAction, truth: readonly TruthEntry[]): string[] {
  const before = [...truth].reverse().find((entry) => entry.t < action.atMs) ?? truth[0];
  const after = truth.filter((entry) => entry.t >= action.atMs);
  const first = (predicate: (entry: TruthEntry) => boolean, what: string) => {
    const entry = after.find(predicate);
    return entry === undefined ? [] : [`${what} at ${(entry.t / 1000).toFixed(3)}s`];
  };
  switch (action.action) {
    case 'restart-jobmanager':
    case 'crash-loop-jobmanager':
      return first((entry) => (entry.pod?.restartCount ?? 0) > (before?.pod?.restartCount ?? 0), 'restartCount went up');
    case 'delete-jobmanager-pod':
      return first((entry) => entry.pod !== undefined && entry.pod.name !== before?.pod?.name, 'a new JobManager pod replaced the old one');
    case 'evict-jobmanager-pod':
      return first((entry) => entry.pod !== undefined && entry.pod.name !== before?.pod?.name && (entry.pods ?? []).some((pod) => pod.phase === 'Failed' && pod.reason === 'Evicted'), 'the JobManager pod was evicted (phase Failed, still listed) and a new one replaced it');
    case 'delete-deployment':
      return first((entry) => !entry.deploymentExists, 'the deployment is gone');
    case 'cancel-from-console':
      return ['every console asked Flink to cancel (harness-driven)'];
    case 'fail-job':
    case 'finish-job': {
      const wanted = action.action === 'fail-job' ? 'FAILED' : 'FINISHED';
      return first((entry) => action.job !== undefined && entry.jobs[action.job] === wanted, `Flink reports the job ${wanted}`);
    }
    case 'restart-tracker':
      return ['the console restarted (harness-driven)'];
  }
}
