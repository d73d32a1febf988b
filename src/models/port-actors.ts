/**
 * Each port call as a promise actor, so machines invoke I/O by name and the clock and the
 * backend stay outside the model. The input carries the ports object and the call's request.
 */
import { fromPromise } from 'xstate';
import type { ArchiveDir, FlinkJobOverview, HttpTimeouts, JobsOverview, PodView, TrackerPorts } from './ports.ts';

type Call<Request> = { ports: TrackerPorts; request: Request };
type Cluster = { namespace: string; clusterId: string } & HttpTimeouts;
type Named = { namespace: string; name: string } & HttpTimeouts;

export const portActors = {
  fetchJobsOverview: fromPromise<JobsOverview, Call<{ restUrl: string; statusRetryIntervalMs?: number } & HttpTimeouts>>(({ input }) => input.ports.fetchJobsOverview(input.request)),
  lookupRestService: fromPromise<string | undefined, Call<Cluster>>(({ input }) => input.ports.lookupRestService(input.request)),
  getApiServerVersion: fromPromise<string, Call<HttpTimeouts>>(({ input }) => input.ports.getApiServerVersion(input.request)),
  lookupIngress: fromPromise<string | undefined, Call<Cluster>>(({ input }) => input.ports.lookupIngress(input.request)),
  listFlinkDeployments: fromPromise<string[], Call<{ namespace: string } & HttpTimeouts>>(({ input }) => input.ports.listFlinkDeployments(input.request)),
  getDeploymentPods: fromPromise<PodView[], Call<Named>>(({ input }) => input.ports.getDeploymentPods(input.request)),
  fetchTerminatedPodLog: fromPromise<void, Call<Named>>(({ input }) => input.ports.fetchTerminatedPodLog(input.request)),
  readHistoryArchive: fromPromise<string | undefined, Call<{ jobId: string; dir: ArchiveDir }>>(({ input }) => input.ports.readHistoryArchive(input.request)),
  cancelFlinkJob: fromPromise<void, Call<{ restUrl: string; jobId: string } & HttpTimeouts>>(({ input }) => input.ports.cancelFlinkJob(input.request)),
  cancelJob: fromPromise<void, Call<Omit<Cluster, never> & { jobId: string }>>(({ input }) => input.ports.cancelJob(input.request)),
};

export type { FlinkJobOverview };

/** The Kubernetes API client timeouts of a timing profile, as a port request fragment. */
export function apiTimeouts(timing: { apiConnectTimeoutMs: number; apiRequestTimeoutMs: number }): HttpTimeouts {
  return { connectTimeoutMs: timing.apiConnectTimeoutMs, responseTimeoutMs: timing.apiRequestTimeoutMs };
}

/** The Flink REST client timeouts of a timing profile, as a port request fragment. */
export function restTimeouts(timing: { restConnectTimeoutMs: number; restResponseTimeoutMs: number }): HttpTimeouts {
  return { connectTimeoutMs: timing.restConnectTimeoutMs, responseTimeoutMs: timing.restResponseTimeoutMs };
}
