/**
 * Proof that each fault and action took effect, read from the lanes: a call through the
 * faulted target failed or was slowed during the window, the container's restart count went
 * up, the pod or deployment went away. A scenario whose faults left no trace is inconclusive.
 */
import type { TruthEntry } from '../backends/truth.ts';
import { asPortError, type TrackerPorts } from '../models/ports.ts';
import type { TrackerTiming } from '../models/timing.ts';
import type { ScheduledAction, ScheduledFault } from '../scenario/types.ts';
import type { PollEntry } from './record.ts';

/** How much slower than usual a call must be to count as delayed by a slowing toxic. */
function slowdownThresholdMs(fault: ScheduledFault): number {
  const a = fault.spec.attributes;
  switch (fault.spec.toxic) {
    case 'latency':
      return Math.max(1, (a.latency! - a.jitter!) * 0.5);
    case 'bandwidth':
    case 'slicer':
    case 'slow_close':
      return 1;
    default:
      return Number.POSITIVE_INFINITY;
  }
}

export function faultEvidence(fault: ScheduledFault, polls: readonly PollEntry[], endMs: number): string[] {
  const until = fault.untilMs ?? endMs;
  const threshold = slowdownThresholdMs(fault);
  const seen: string[] = [];
  for (const poll of polls) {
    if (poll.target !== fault.spec.target || poll.t > until || poll.t + poll.ms < fault.atMs) continue;
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
      return first((entry) => (entry.pod?.restartCount ?? 0) > (before?.pod?.restartCount ?? 0), 'restartCount went up');
    case 'delete-jobmanager-pod':
      return first((entry) => entry.pod !== undefined && entry.pod.name !== before?.pod?.name, 'a new JobManager pod replaced the old one');
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

/**
 * The harness's own request through a fault just applied (one call on the faulted target, with
 * the trackers' API timeouts), so a fault shows whether or not any tracker happened to call.
 * Resolves with what it saw: nothing when the call went through unharmed.
 */
export async function sendCanary(ports: TrackerPorts, where: { namespace: string; restUrl: string }, fault: ScheduledFault, timing: TrackerTiming, now: () => number): Promise<string[]> {
  const timeouts = { connectTimeoutMs: timing.apiConnectTimeoutMs, responseTimeoutMs: timing.apiRequestTimeoutMs };
  const started = now();
  const call = fault.spec.target === 'apiserver' ? 'listFlinkDeployments' : 'fetchJobsOverview';
  try {
    if (fault.spec.target === 'apiserver') await ports.listFlinkDeployments({ namespace: where.namespace, ...timeouts });
    else await ports.fetchJobsOverview({ restUrl: where.restUrl, ...timeouts });
    const ms = now() - started;
    return ms >= slowdownThresholdMs(fault) ? [`canary ${call} took ${Math.round(ms)}ms`] : [];
  } catch (error) {
    return [`canary ${call} ${asPortError(call, error).kind} after ${Math.round(now() - started)}ms`];
  }
}
