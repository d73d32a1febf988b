/**
 * The truth lane on live backends: a second client, not behind any proxy, that watches the
 * JobManager Deployment and pods, plus the Flink side's own state, and reports a snapshot on
 * every change.
 */
import { Watch, type V1Pod } from '@kubernetes/client-node';
import type { PodTruth, TruthSnapshot } from '../../record/truth.ts';
import type { FlinkSide } from './flink-side.ts';
import type { ApiClients } from './kube-access.ts';
import { EXTRA_POD_LABEL, jobManagerLabels } from './workload.ts';

function podTruth(pod: V1Pod): PodTruth {
  const container = pod.status?.containerStatuses?.[0];
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Pending',
    restartCount: container?.restartCount ?? 0,
    ready: container?.ready ?? false,
    lastTerminated: container?.lastState?.terminated?.reason,
    ...(pod.status?.reason ? { reason: pod.status.reason } : {}),
    ...(pod.metadata?.deletionTimestamp ? { terminating: true } : {}),
  };
}

export interface TruthObserver {
  /** report a snapshot now (e.g. after the Flink cluster changed) */
  refresh(): void;
  stop(): void;
}

export async function observeTruth(clients: ApiClients, target: { namespace: string; clusterId: string; cluster: Pick<FlinkSide, 'isServing' | 'jobStates'> }, onTruth: (snapshot: TruthSnapshot) => void): Promise<TruthObserver> {
  const pods = new Map<string, V1Pod>();
  let deploymentExists = true;
  let stopped = false;
  const report = () => {
    if (stopped) return;
    // the JobManager pod: the newest the Deployment runs (not terminating, not one of the harness's extra pods)
    const pod = [...pods.values()]
      .filter((candidate) => candidate.metadata?.deletionTimestamp === undefined && candidate.metadata?.labels?.[EXTRA_POD_LABEL] === undefined)
      .sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')))[0];
    // every pod as the API lists them, by name: what pods.head sees
    const listed = [...pods.values()].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
    onTruth({
      deploymentExists,
      pod: pod === undefined ? undefined : podTruth(pod),
      ...(listed.length > 1 || (listed.length === 1 && listed[0] !== pod) ? { pods: listed.map(podTruth) } : {}),
      restServing: target.cluster.isServing(),
      jobs: target.cluster.jobStates(),
    });
  };
  const watch = new Watch(clients.kubeConfig);
  const selector = Object.entries(jobManagerLabels(target.clusterId)).map(([key, value]) => `${key}=${value}`).join(',');
  const aborts: AbortController[] = [];
  const start = async (path: string, query: Record<string, string>, handle: (phase: string, object: { metadata?: { name?: string } }) => void) => {
    const run = async (): Promise<void> => {
      if (stopped) return;
      const controller = await watch.watch(path, query, handle, () => {
        if (!stopped) setTimeout(() => void run().catch(() => {}), 200); // the API closed the watch: open it again
      });
      aborts.push(controller);
    };
    await run();
  };
  await start(`/api/v1/namespaces/${target.namespace}/pods`, { labelSelector: selector }, (phase, object) => {
    const name = object.metadata?.name ?? '';
    if (phase === 'DELETED') pods.delete(name);
    else pods.set(name, object as V1Pod);
    report();
  });
  await start(`/apis/apps/v1/namespaces/${target.namespace}/deployments`, { fieldSelector: `metadata.name=${target.clusterId}` }, (phase) => {
    deploymentExists = phase !== 'DELETED';
    report();
  });
  report();
  return {
    refresh: report,
    stop() {
      stopped = true;
      for (const controller of aborts) controller.abort();
    },
  };
}
