/**
 * The simulated cluster: one Deployment (label type=flink-native-kubernetes) with its
 * JobManager pod, any pods left over beside it (evicted, stuck terminating), the
 * `<clusterId>-rest` Service, and the Flink cluster behind it. Actions change it on the virtual
 * clock; every change is reported as a truth snapshot.
 *
 * Pods are listed as the API server lists them: by name (etcd's key order, also the watch
 * cache's; measured on the local control plane, kube-apiserver 1.37.2, with and without
 * resourceVersion=0). StreamPark's isDeploymentError looks at the first one.
 */
import type { PodView } from '../../models/ports.ts';
import { extraPodName, type ScenarioApp } from '../../scenario/types.ts';
import type { Listed } from '../../scenario/schema.ts';
import { FlinkCluster, type ClusterClock } from '../flink/flink-cluster.ts';
import { crashLoopRestarts, restartLagMs } from '../kubelet.ts';
import type { PodTruth, TruthSnapshot } from '../../record/truth.ts';

interface SimPod {
  name: string;
  phase: string;
  restartCount: number;
  ready: boolean;
  lastTerminated: { reason: string; exitCode: number } | undefined;
  reason: string | undefined;
  terminating: boolean;
  /** state.waiting.reason while the container waits to start again */
  waitingReason: string | undefined;
  /** when `ready` last changed (the Ready condition's lastTransitionTime) */
  readyChangedAt: number;
}

/** A container that ran and stopped, as the kubelet reports it in lastState.terminated. */
const terminated = (reason: string) => ({ reason, exitCode: 1 });

export class SimWorld {
  readonly app: ScenarioApp;
  readonly flink: FlinkCluster;
  private readonly clock: ClusterClock;
  private deploymentExists = true;
  /** the pod Flink's JobManager runs in now */
  private jobManager: SimPod | undefined;
  /** every pod the Deployment's selector matches, the JobManager's included */
  private pods: SimPod[];
  private podGeneration = 1;
  private evictions = 0;
  private readonly onTruth: (snapshot: TruthSnapshot) => void;
  /** wall ms per scenario ms: the kubelet's times are the node's (kubelet.ts) */
  private readonly timeScale: number;
  /** how the kubelet's status updates reach the API (delayed while etcd is away: SimNetwork.recordInCluster) */
  private readonly recordStatus: (apply: () => void) => void;

  constructor(app: ScenarioApp, clock: ClusterClock, onTruth: (snapshot: TruthSnapshot) => void, timeScale = 1, recordStatus: (apply: () => void) => void = (apply) => apply()) {
    this.app = app;
    this.clock = clock;
    this.onTruth = onTruth;
    this.timeScale = timeScale;
    this.recordStatus = recordStatus;
    this.jobManager = this.newPod('Running');
    const leftOver = app.pods.map((pod): SimPod => ({ name: pod.name, phase: pod.phase, restartCount: pod.lastTerminated ? 1 : 0, ready: pod.phase === 'Running' && !pod.terminating, lastTerminated: pod.lastTerminated ? terminated(pod.lastTerminated) : undefined, reason: pod.reason, terminating: pod.terminating, waitingReason: undefined, readyChangedAt: clock.now() }));
    this.pods = [this.jobManager, ...leftOver];
    this.flink = new FlinkCluster(app, clock, { onChange: () => this.report(), onShutdown: () => this.deleteDeployment() });
    this.report();
  }

  /** The Service's address, as Flink's cluster client reads it; undefined once it is gone. */
  restServiceUrl(namespace: string, clusterId: string): string | undefined {
    return this.deploymentExists && namespace === this.app.namespace && clusterId === this.app.clusterId ? `http://${clusterId}-rest.${namespace}:8081` : undefined;
  }

  flinkDeploymentNames(namespace: string): string[] {
    return this.deploymentExists && namespace === this.app.namespace ? [this.app.clusterId] : [];
  }

  /** Deployment get + pod list (by name, as the API answers); `undefined` when the Deployment is not there. */
  deploymentPods(namespace: string, name: string): PodView[] | undefined {
    if (!this.deploymentExists || namespace !== this.app.namespace || name !== this.app.clusterId) return undefined;
    return this.listed().map((pod) => ({
      name: pod.name,
      phase: pod.phase,
      ...(pod.reason ? { reason: pod.reason } : {}),
      ...(pod.terminating ? { terminating: true } : {}),
      readyChangedAt: pod.readyChangedAt,
      containers: [{ name: 'flink-main-container', restartCount: pod.restartCount, ready: pod.ready, ...(pod.lastTerminated ? { lastTerminated: pod.lastTerminated } : {}), ...(pod.waitingReason ? { waitingReason: pod.waitingReason } : {}) }],
    }));
  }

  truth(): TruthSnapshot {
    const pods = this.listed();
    return {
      deploymentExists: this.deploymentExists,
      pod: this.jobManager === undefined ? undefined : podTruth(this.jobManager),
      ...(pods.length > 1 || (pods.length === 1 && pods[0] !== this.jobManager) ? { pods: pods.map(podTruth) } : {}),
      restServing: this.flink.isServing(),
      jobs: this.flink.jobStates(),
    };
  }

  /**
   * Container restart in place, as a kubelet does it (kubelet.ts): the process exits now (REST
   * down); the kubelet starts it again a moment later (restartCount + 1, lastState.terminated,
   * running, not ready; phase stays Running); it is ready once the JobManager serves again,
   * `downtimeMs` after the exit. The container stops and starts on its node on time whatever the
   * control plane does; the API shows each change when the kubelet's status update is recorded,
   * which waits for etcd (issue 21 item 4).
   */
  restartJobManager(downtimeMs: number, reason = 'Error'): void {
    const pod = this.jobManager;
    if (pod === undefined) return;
    this.flink.jobManagerDown();
    let restarted = false;
    let serving = false;
    this.clock.setTimeout(() => {
      if (this.jobManager !== pod) return;
      restarted = true;
      const at = this.clock.now(); // when the kubelet made the change (the Ready condition's lastTransitionTime), whenever it is recorded
      this.recordPodStatus(pod, () => {
        crash(pod, reason, at);
        pod.waitingReason = undefined; // a first restart runs at once (no back-off)
        setReady(pod, serving, at);
      });
      this.report();
    }, restartLagMs(this.timeScale));
    this.clock.setTimeout(() => {
      if (this.jobManager !== pod) return;
      serving = true;
      const at = this.clock.now();
      this.recordPodStatus(pod, () => {
        setReady(pod, restarted, at);
      });
      this.flink.jobManagerUp();
    }, downtimeMs);
  }

  /** The kubelet reports a change of `pod`'s status; recorded now (the Flink change that follows reports it) or later (reported then). */
  private recordPodStatus(pod: SimPod, change: () => void): void {
    let later = false;
    this.recordStatus(() => {
      if (this.jobManager !== pod) return;
      change();
      if (later) this.report();
    });
    later = true;
  }

  /** The JobManager container crashes and keeps crashing on the kubelet's back-off (kubelet.ts): never ready again. */
  crashLoopJobManager(untilMs: number, reason = 'Error'): void {
    const pod = this.jobManager;
    if (pod === undefined) return;
    this.flink.jobManagerDown();
    for (const at of crashLoopRestarts(untilMs, this.timeScale)) {
      this.clock.setTimeout(() => {
        if (this.jobManager !== pod) return;
        crash(pod, reason, this.clock.now());
        this.report();
      }, at);
    }
  }

  /** Pod deleted: gone from the list at once; the ReplicaSet creates a replacement, Pending until `downtime` is over. */
  deleteJobManagerPod(downtimeMs: number): void {
    if (!this.deploymentExists) return;
    this.pods = this.pods.filter((pod) => pod !== this.jobManager);
    this.replaceJobManager(downtimeMs);
  }

  /**
   * The kubelet evicts the JobManager pod (node pressure): phase Failed, reason Evicted, and the
   * pod object stays (nothing deletes failed pods short of the pod GC threshold). The ReplicaSet
   * creates a replacement, Pending until `downtime` is over. On a real cluster the two names'
   * random suffixes decide which one the API lists first; `listed` says where the evicted one sorts.
   */
  evictJobManagerPod(downtimeMs: number, listed: Listed): void {
    const pod = this.jobManager;
    if (!this.deploymentExists || pod === undefined) return;
    this.evictions += 1;
    Object.assign(pod, { name: extraPodName(this.app.clusterId, listed, `evicted-${this.evictions}`), phase: 'Failed', reason: 'Evicted' });
    setReady(pod, false, this.clock.now());
    this.replaceJobManager(downtimeMs);
  }

  /** The Deployment is deleted for good: its pods and Service go with it, and the REST API. */
  deleteDeployment(): void {
    if (!this.deploymentExists) return;
    this.deploymentExists = false;
    this.jobManager = undefined;
    this.pods = [];
    this.flink.jobManagerDown();
  }

  dispose(): void {
    this.flink.dispose();
  }

  private replaceJobManager(downtimeMs: number): void {
    this.podGeneration += 1;
    const pod = this.newPod('Pending');
    this.jobManager = pod;
    this.pods.push(pod);
    this.flink.jobManagerDown();
    this.clock.setTimeout(() => {
      if (this.jobManager !== pod) return;
      pod.phase = 'Running';
      setReady(pod, true, this.clock.now());
      this.flink.jobManagerUp();
    }, downtimeMs);
  }

  private newPod(phase: 'Pending' | 'Running'): SimPod {
    return { name: `${this.app.clusterId}-jobmanager-${this.podGeneration}`, phase, restartCount: 0, ready: phase === 'Running', lastTerminated: undefined, reason: undefined, terminating: false, waitingReason: undefined, readyChangedAt: this.clock.now() };
  }

  /** The pods in the API's order: by name. */
  private listed(): SimPod[] {
    return [...this.pods].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private report(): void {
    this.onTruth(this.truth());
  }
}

/** The container stopped and the kubelet restarted it: restartCount+1, lastState.terminated set; a crash-looping one then waits in CrashLoopBackOff. */
function crash(pod: SimPod, reason: string, now: number): void {
  pod.restartCount += 1;
  pod.lastTerminated = terminated(reason);
  setReady(pod, false, now);
  pod.waitingReason = 'CrashLoopBackOff';
}

/** The Ready condition: its lastTransitionTime moves only when it changes. */
function setReady(pod: SimPod, ready: boolean, now: number): void {
  if (pod.ready !== ready) pod.readyChangedAt = now;
  pod.ready = ready;
}

function podTruth(pod: SimPod): PodTruth {
  return {
    name: pod.name,
    phase: pod.phase,
    restartCount: pod.restartCount,
    ready: pod.ready,
    lastTerminated: pod.lastTerminated?.reason,
    ...(pod.reason ? { reason: pod.reason } : {}),
    ...(pod.terminating ? { terminating: true } : {}),
  };
}
