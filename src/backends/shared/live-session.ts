/**
 * One scenario on a real Kubernetes API, shared by the local, kind and kubeconfig backends: a
 * fresh labelled namespace, the JobManager Deployment and `-rest` Service, the Flink REST stub,
 * Toxiproxy proxies in front of the API server and the stub, the truth observer, and the world
 * actions. What differs per backend (how a container restarts, which image, how the API server
 * is reached, where the JobManager's REST endpoint runs) comes in through LiveCluster.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LiveEndpoints } from '../../trackers/tracker.ts';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { BackendError, type BackendSession, type OpenOptions } from '../backend.ts';
import type { Scenario, ScheduledAction, ScheduledFault } from '../../scenario/types.ts';
import { inProcessFlink, type FlinkSide, type FlinkSideContext } from './flink-side.ts';
import { KUBELET_RESTART_MS, crashLoopRestarts } from '../kubelet.ts';
import { throughProxy, type ApiClients } from './kube-access.ts';
import { noteStarted } from '../../processes/leftovers.ts';
import { livePorts } from './live-ports.ts';
import { ScaledClock } from './scaled-clock.ts';
import { createProxySet, type FaultHandle, type ProxySet, type ToxiproxyServer } from './toxiproxy/index.ts';
import { observeTruth, type TruthObserver } from './truth-observer.ts';
import type { TruthSnapshot } from '../../record/truth.ts';
import { createExtraPod, createWorkload, deleteDeployment, deleteJobManagerPod, evictJobManagerPod, jobManagerPods, podStartDelayMs, releaseExtraPods, waitForJobManager, waitForRestartCount, type WorkloadSpec } from './workload.ts';
import { extraPodName } from '../../scenario/types.ts';
import { adoptEtcdProxy, waitForEtcdReads } from './etcd-proxy.ts';
import { LateRestarts } from './late-restart.ts';
import { deleteNamespace, OWNER_LABEL, scenarioNamespace } from './namespaces.ts';

/** How long a restart waits (wall ms) for the API to show it. */
const RESTART_VISIBLE_WAIT_MS = 2_000;

/** What a live backend provides to its sessions. */
export interface LiveCluster {
  /** the harness's own client, never behind a proxy */
  admin: ApiClients;
  /** `host:port` of the API server, for the `apiserver` proxy */
  apiServerAddress: string;
  toxiproxy: ToxiproxyServer;
  /**
   * The Toxiproxy proxy kube-apiserver reaches etcd through (the `etcd` fault target), when the
   * backend runs its own control plane. It belongs to the control plane: shared by every scenario
   * and by the control plane's own clients (controller-manager, scheduler, kwok, this harness).
   */
  etcdProxy?: { apiUrl: string; name: string };
  /** image of the JobManager container */
  image: string;
  /** run label value for the namespaces it creates */
  runId: string;
  metadata: Record<string, string>;
  /** restart the JobManager container in place (kubelet semantics: restartCount+1, lastState); `restartedAt`: when it restarts, for a restart recorded late (wall ms) */
  restartContainer(namespace: string, podName: string, options: { downtimeMs: number; reason?: string; restartedAt?: number }): Promise<void>;
  /** the JobManager's node is kwok, which restarts a container at once: the session adds the kubelet's delay (kubelet.ts) */
  imitatesKubelet?: boolean;
  /** make the JobManager container fail at every start from now on, a real kubelet backing off (kind); without it each restart is a restartContainer at kubelet.ts's back-off */
  crashLoopContainer?(namespace: string, podName: string): Promise<void>;
  /** how long a new JobManager pod stays Pending (kwok: the start-delay annotation), wall ms */
  /** how the JobManager pod differs from Flink's default (kind: the REST stub image, NodePorts) */
  workload?(scenario: Scenario, timeScale: number): Partial<WorkloadSpec>;
  /** where the JobManager's REST endpoint runs; default: in this process, on 127.0.0.1 (inProcessFlink) */
  flink?(context: FlinkSideContext): Promise<FlinkSide>;
  /**
   * the `-rest` Service is a LoadBalancer whose address is the `flink-rest` proxy, so that code
   * that retrieves the JobManager as Flink does (the real StreamPark trackers) goes through the
   * faults: on a cluster of the harness's own only (on someone's cloud a LoadBalancer costs money)
   */
  restThroughLoadBalancer?: boolean;
  /** the trackers' kubeconfig, reaching the API server at `proxyUrl` (kubeconfig backend: fenced); default: the admin's credentials through the proxy */
  trackerKubeConfig?(proxyUrl: string): KubeConfig;
}

/** How long the setup waits for the JobManager pod, then for its jobs, before giving up. */
const JOBMANAGER_READY_MS = 90_000;

/** How long an interrupted run's close() waits for toxiproxy-server to exit (its own stop: SIGTERM, SIGKILL after 2 s). */
const TOXIPROXY_STOP_WAIT_MS = 3_000;

/** How long close() waits for a restart request still held by the API server (it answers once etcd does). */
const LATE_RESTART_WAIT_MS = 10_000;

/** How long close() waits for the namespace to be gone (its pods are deleted by the node first). */
const NAMESPACE_DELETE_WAIT_MS = 15_000;

export class LiveSession implements BackendSession {
  readonly clock: ScaledClock;
  readonly metadata: Record<string, string>;
  readonly appNamespace: string;
  private readonly cluster: LiveCluster;
  private readonly scenario: Scenario;
  private readonly options: OpenOptions;
  private flink!: FlinkSide;
  private proxies!: ProxySet;
  /** the control plane's etcd proxy, when the scenario faults etcd */
  private etcdProxies: ProxySet | undefined;
  private etcdFaulted = false;
  /** etcd faults in place now: a restart meanwhile is recorded once etcd is back (late-restart.ts) */
  private activeEtcdFaults = 0;
  private readonly lateRestarts: LateRestarts;
  private trackerKubeConfig!: KubeConfig;
  private truth: TruthObserver | undefined;
  private readonly handles = new Map<string, { set: ProxySet; handle: FaultHandle }>();
  private closing: Promise<void> | undefined;
  private evictions = 0;
  /** called once the namespace is gone (leftovers.ts) */
  private namespaceNoted = () => {};
  private toxiproxyGone = false;
  /** scenario time has begun: truth snapshots are reported as they come */
  private begun = false;
  /** the last truth seen before time 0, reported at it */
  private truthBefore: TruthSnapshot | undefined;

  private constructor(cluster: LiveCluster, scenario: Scenario, options: OpenOptions) {
    this.cluster = cluster;
    this.scenario = scenario;
    this.options = options;
    this.clock = new ScaledClock(options.timeScale);
    this.appNamespace = scenarioNamespace(cluster.runId, scenario, options.seed);
    this.metadata = { ...cluster.metadata, namespace: this.appNamespace, 'time scale': String(options.timeScale) };
    this.lateRestarts = new LateRestarts(options.onProgress);
    void cluster.toxiproxy.exited.then(() => (this.toxiproxyGone = true));
  }

  /** Set everything up; on failure, undo what was done and throw a BackendError. */
  static async open(cluster: LiveCluster, scenario: Scenario, options: OpenOptions): Promise<LiveSession> {
    const session = new LiveSession(cluster, scenario, options);
    try {
      await session.setUp();
      return session;
    } catch (error) {
      await session.close().catch(() => {});
      if (error instanceof BackendError || options.signal?.aborted) throw error;
      throw new BackendError(`could not set up ${scenario.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  private async setUp(): Promise<void> {
    const { admin } = this.cluster;
    const { app } = this.scenario;
    const progress = this.options.onProgress;
    this.options.signal?.throwIfAborted();
    const where = this.cluster.metadata.context !== undefined ? `context ${this.cluster.metadata.context}` : `the ${this.cluster.metadata.backend ?? 'live'} cluster`;
    this.namespaceNoted = noteStarted(`namespace ${this.appNamespace} in ${where} (its pods, proxies and toxics with it): kubectl delete namespace ${this.appNamespace}`);
    await admin.core.createNamespace({ body: { metadata: { name: this.appNamespace, labels: { [OWNER_LABEL]: this.cluster.runId } } } });
    this.flink = await (this.cluster.flink ?? inProcessFlink)({
      app,
      clock: this.clock,
      onChange: () => this.truth?.refresh(),
      // application mode: Flink removes its own deployment once the job has ended
      onShutdown: () => void deleteDeployment(admin, this.appNamespace, app.clusterId).catch(() => {}),
      runDir: this.options.runDir,
      namespace: this.appNamespace,
      onProgress: progress,
    });
    this.proxies = await createProxySet({ apiUrl: this.cluster.toxiproxy.url, upstreams: { apiserver: this.cluster.apiServerAddress, 'flink-rest': this.flink.upstream } });
    if (this.scenario.faults.some((fault) => fault.spec.target === 'etcd')) this.etcdProxies = await adoptEtcdProxy(this.cluster.etcdProxy, this.scenario.name);
    const proxyUrl = `https://${this.proxies.endpoint('apiserver').listen}`;
    this.trackerKubeConfig = this.cluster.trackerKubeConfig?.(proxyUrl) ?? throughProxy(admin.kubeConfig, proxyUrl);
    await createWorkload(admin, {
      namespace: this.appNamespace,
      clusterId: app.clusterId,
      image: this.cluster.image,
      startDelayMs: podStartDelayMs(this.scenario, this.options.timeScale),
      ...(this.cluster.restThroughLoadBalancer ? { restProxyPort: Number(this.proxies.endpoint('flink-rest').listen.split(':').pop()) } : {}),
      labels: { [OWNER_LABEL]: this.cluster.runId },
      ...this.cluster.workload?.(this.scenario, this.options.timeScale),
    });
    const pod = await waitForJobManager(admin, this.appNamespace, app.clusterId, JOBMANAGER_READY_MS, this.options.signal);
    for (const extra of app.pods) await createExtraPod(admin, this.extraPodSpec(), { ...extra, restartCount: extra.lastTerminated ? 1 : 0 });
    await this.flink.ready(this.options.signal);
    progress(`${this.scenario.name}: JobManager pod ${pod.metadata?.name} running in ${this.appNamespace}; proxies apiserver ${this.proxies.endpoint('apiserver').listen}, flink-rest ${this.proxies.endpoint('flink-rest').listen}`);
    // The truth's watches open now; scenario time 0 is begin(), once the trackers are ready: they
    // anchor their fixed-rate polls there, as on the simulation. (Opened after time 0, the watches
    // delayed every poll of the run: a second of scenario time at the fast profile.) The state
    // they see before time 0 is reported at it.
    this.truth = await observeTruth(admin, { namespace: this.appNamespace, clusterId: app.clusterId, cluster: this.flink }, (snapshot) => {
      if (this.begun) this.options.onTruth(snapshot);
      else this.truthBefore = snapshot;
    });
  }

  begin(): void {
    this.clock.resetOrigin(); // the scenario starts now, not when the setup began
    this.begun = true;
    if (this.truthBefore !== undefined) this.options.onTruth(this.truthBefore);
  }

  /** A kubeconfig file for a tracker with its own Kubernetes client: the trackers' credentials, through the `apiserver` proxy. */
  async trackerEndpoints(_client: string, dir: string): Promise<LiveEndpoints> {
    await mkdir(dir, { recursive: true });
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, this.trackerKubeConfig.exportConfig(), { mode: 0o600 });
    const { archive } = this.scenario.app;
    const archiveFolder = this.flink.archiveFolder;
    return {
      kubeconfig,
      apiServer: `https://${this.proxies.endpoint('apiserver').listen}`,
      flinkRest: this.restEndpoint(),
      ...(archive !== 'none' && archiveFolder !== undefined ? { archive: { setting: archive, folder: archiveFolder } } : {}),
    };
  }

  /** What the harness's own JobManager pods share with the Deployment's (labels, image). */
  private extraPodSpec() {
    return { namespace: this.appNamespace, clusterId: this.scenario.app.clusterId, image: this.cluster.image, labels: { [OWNER_LABEL]: this.cluster.runId } };
  }

  trackerPorts() {
    return livePorts({ kubeConfig: this.trackerKubeConfig, restUrl: this.restEndpoint(), clock: this.clock, archivedState: (jobId, dir) => this.flink.archivedState(jobId, dir) });
  }

  restEndpoint(): string {
    return `http://${this.proxies.endpoint('flink-rest').listen}`;
  }

  async applyFault(fault: ScheduledFault): Promise<void> {
    const set = fault.spec.target === 'etcd' ? this.etcdProxies : this.proxies;
    if (set === undefined) throw new BackendError(`no proxy for the ${fault.spec.target} fault of ${this.scenario.name}`);
    if (fault.spec.target === 'etcd') {
      this.etcdFaulted = true;
      this.activeEtcdFaults += 1;
    }
    this.handles.set(fault.id, { set, handle: await set.applyFault(fault.spec, { name: fault.id.replace(/[^a-z0-9_]/gi, '_'), timeScale: this.options.timeScale }) });
  }

  async removeFault(fault: ScheduledFault): Promise<void> {
    const applied = this.handles.get(fault.id);
    if (applied === undefined) return;
    this.handles.delete(fault.id);
    await applied.set.removeFault(applied.handle);
    if (fault.spec.target === 'etcd') this.activeEtcdFaults -= 1;
  }

  async perform(action: ScheduledAction): Promise<void> {
    const { admin } = this.cluster;
    const { clusterId } = this.scenario.app;
    const downtime = action.downtimeMs ?? 0;
    switch (action.action) {
      case 'restart-jobmanager': {
        const etcdAway = this.activeEtcdFaults > 0;
        const [pod] = await jobManagerPods(admin, this.appNamespace, clusterId, { fromWatchCache: etcdAway });
        const name = pod?.metadata?.name;
        if (name === undefined) throw new BackendError(`restart-jobmanager at ${action.atMs} ms: there is no JobManager pod in ${this.appNamespace}`);
        this.flink.jobManagerStopped(downtime);
        // kwok restarts at once where a kubelet takes a moment (kubelet.ts): the request comes that much later, the downtime still counted from the exit
        const lagMs = this.cluster.imitatesKubelet ? KUBELET_RESTART_MS : 0;
        const stoppedAt = Date.now();
        const request = () => this.cluster.restartContainer(this.appNamespace, name, { downtimeMs: Math.max(0, this.clock.toWall(downtime) - lagMs), restartedAt: stoppedAt + lagMs, ...(action.reason ? { reason: action.reason } : {}) });
        // the container restarts on its node on time; the API records it once etcd is back
        const recordLate = () => this.lateRestarts.request(`${this.scenario.name}: the restart of ${name}, during an etcd fault`, request, this.clock.toWall(this.scenario.durationMs - action.atMs));
        if (etcdAway) return recordLate();
        const restart = async () => {
          // an etcd fault that began during the kubelet's delay holds the record too (at scale 1 longer than the API's 60 s request timeout)
          if (this.activeEtcdFaults > 0) return recordLate();
          await request();
          await this.untilRestartVisible(name, pod);
        };
        if (lagMs === 0) return restart();
        this.clock.setTimeout(() => void restart().catch((error: unknown) => this.options.onProgress(`restart-jobmanager at ${action.atMs} ms failed: ${error instanceof Error ? error.message : String(error)}`)), lagMs / this.options.timeScale);
        return;
      }
      case 'crash-loop-jobmanager': {
        const [pod] = await jobManagerPods(admin, this.appNamespace, clusterId);
        const name = pod?.metadata?.name;
        if (name === undefined) throw new BackendError(`crash-loop-jobmanager at ${action.atMs} ms: there is no JobManager pod in ${this.appNamespace}`);
        this.flink.jobManagerStopped(undefined);
        if (this.cluster.crashLoopContainer) {
          await this.cluster.crashLoopContainer(this.appNamespace, name);
          await this.untilRestartVisible(name, pod);
          return;
        }
        // each restart the kubelet would make is a restart request whose end lies beyond the run: the pod is never ready again
        const neverMs = this.clock.toWall(this.scenario.durationMs) + 3_600_000;
        const crash = () => this.cluster.restartContainer(this.appNamespace, name, { downtimeMs: neverMs, ...(action.reason ? { reason: action.reason } : {}) });
        for (const at of crashLoopRestarts(this.scenario.durationMs - action.atMs, this.options.timeScale)) {
          this.clock.setTimeout(() => void crash().catch((error: unknown) => this.options.onProgress(`crash-loop-jobmanager: a restart at +${at} ms failed: ${error instanceof Error ? error.message : String(error)}`)), at);
        }
        return;
      }
      case 'delete-jobmanager-pod':
        this.flink.jobManagerStopped(downtime);
        await deleteJobManagerPod(admin, this.appNamespace, clusterId);
        return;
      case 'evict-jobmanager-pod': {
        // what an eviction leaves in the API: the old pod, phase Failed, reason Evicted, still listed;
        // here a copy of it under a name that sorts where the scenario says, then the real pod is
        // evicted through the API and its ReplicaSet makes the replacement (Pending for the downtime)
        const [pod] = await jobManagerPods(admin, this.appNamespace, clusterId);
        if (pod?.metadata?.name === undefined) throw new BackendError(`evict-jobmanager-pod at ${action.atMs} ms: there is no JobManager pod in ${this.appNamespace}`);
        const container = pod.status?.containerStatuses?.[0];
        const evicted = { name: extraPodName(clusterId, action.listed ?? 'first', `evicted-${++this.evictions}`), phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', terminating: false, restartCount: container?.restartCount ?? 0, lastTerminated: container?.lastState?.terminated?.reason };
        await createExtraPod(admin, this.extraPodSpec(), evicted);
        this.flink.jobManagerStopped(downtime);
        await evictJobManagerPod(admin, this.appNamespace, clusterId);
        return;
      }
      case 'delete-deployment':
        this.flink.jobManagerStopped(undefined);
        await deleteDeployment(admin, this.appNamespace, clusterId);
        return;
      case 'fail-job':
        return this.flink.failJob(action.job!);
      case 'finish-job':
        return this.flink.finishJob(action.job!);
      default:
        throw new Error(`${action.action} is not a world action`);
    }
  }

  /** The node records a restart through the API server: wait until it shows, so that a fault right after (etcd) cannot stop that. */
  private async untilRestartVisible(podName: string, before: V1Pod | undefined): Promise<void> {
    const shown = await waitForRestartCount(this.cluster.admin, this.appNamespace, this.scenario.app.clusterId, podName, (before?.status?.containerStatuses?.[0]?.restartCount ?? 0) + 1, RESTART_VISIBLE_WAIT_MS);
    if (!shown) this.options.onProgress(`${this.scenario.name}: the restart of ${podName} was not visible in the API after ${RESTART_VISIBLE_WAIT_MS} ms`);
  }

  runUntil(t: number): Promise<void> {
    return this.clock.runUntil(t, this.options.signal);
  }

  /** Remove every fault, prove no toxic is left, then take everything down; reports what failed. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const problems: string[] = [];
      const attempt = async (what: string, step: () => Promise<unknown> | unknown) => {
        try {
          await step();
        } catch (error) {
          problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        }
      };
      this.truth?.stop();
      this.clock.dispose();
      // a stopped run's toxiproxy-server stops with it (toxiproxy/server.ts): its proxies and toxics go with the
      // process; the control plane's etcd proxy outlives the run, so its toxics are always removed
      if (this.options.signal?.aborted) await Promise.race([this.cluster.toxiproxy.exited, sleep(TOXIPROXY_STOP_WAIT_MS, undefined, { ref: false })]);
      const reachable = (set: ProxySet | undefined): set is ProxySet => set !== undefined && !(set === this.proxies && this.toxiproxyGone);
      for (const { set, handle } of this.handles.values()) if (reachable(set)) await attempt('remove fault', () => set.removeFault(handle));
      this.handles.clear();
      for (const set of [this.proxies, this.etcdProxies]) {
        if (!reachable(set)) continue;
        await attempt('no toxic left', () => set.assertClean());
        await attempt('delete proxies', () => set.deleteAll());
      }
      // the next scenario (and the cleanup below) needs an API server that reads etcd again
      if (this.etcdFaulted) await attempt('the API server back after the etcd fault', () => waitForEtcdReads(this.cluster.admin, this.appNamespace));
      await attempt('restarts recorded late', () => this.lateRestarts.stop(LATE_RESTART_WAIT_MS));
      if (this.flink !== undefined) await attempt('stop the Flink side', () => this.flink.close());
      await attempt('release held pods', () => releaseExtraPods(this.cluster.admin, this.appNamespace));
      // interrupted: the API accepting the delete is enough (the namespace terminates on its own); otherwise wait until it is gone
      const wait = this.options.signal?.aborted ? 0 : NAMESPACE_DELETE_WAIT_MS;
      await attempt(`delete namespace ${this.appNamespace}`, async () => {
        await deleteNamespace(this.cluster.admin, this.appNamespace, wait);
        this.namespaceNoted();
      });
      if (problems.length > 0) throw new BackendError(`cleanup of ${this.scenario.name} was incomplete: ${problems.join('; ')}`);
    })();
    return this.closing;
  }
}
