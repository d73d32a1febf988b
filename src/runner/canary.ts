/**
 * The harness's own canary request through each fault as it is applied, so a fault shows in the
 * record whether or not a tracker happened to call through it (check/evidence.ts reads it).
 */
import { asPortError, type TrackerPorts } from '../models/ports.ts';
import type { TrackerTiming } from '../models/timing.ts';
import { callPath, toxic } from '../scenario/toxics.ts';
import type { ScheduledFault } from '../scenario/types.ts';

/**
 * The harness's own request through a fault just applied (one call on the faulted target, with
 * the trackers' API timeouts), so a fault shows whether or not any tracker happened to call.
 * Resolves with what it saw: nothing when the call went through unharmed.
 */
export async function sendCanary(ports: TrackerPorts, where: { namespace: string; restUrl: string }, fault: ScheduledFault, timing: TrackerTiming, now: () => number): Promise<string[]> {
  const timeouts = { connectTimeoutMs: timing.apiConnectTimeoutMs, responseTimeoutMs: timing.apiRequestTimeoutMs };
  const started = now();
  const throughApi = callPath(fault.spec.target) === 'apiserver';
  const call = throughApi ? 'listFlinkDeployments' : 'fetchJobsOverview';
  try {
    if (throughApi) await ports.listFlinkDeployments({ namespace: where.namespace, ...timeouts });
    else await ports.fetchJobsOverview({ restUrl: where.restUrl, ...timeouts });
    const ms = now() - started;
    return ms >= toxic(fault.spec.toxic).evidenceThresholdMs(fault.spec.attributes) ? [`canary ${call} took ${Math.round(ms)}ms`] : [];
  } catch (error) {
    return [`canary ${call} ${asPortError(call, error).kind} after ${Math.round(now() - started)}ms`];
  }
}
