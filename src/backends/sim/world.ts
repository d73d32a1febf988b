/**
 * The simulated cluster: one Deployment (label type=flink-native-kubernetes) with its
 * JobManager pod, the `<clusterId>-rest` Service, and the Flink cluster behind it. Actions change
 * it on the virtual clock; every change is reported as a truth snapshot.
 */
import type { PodView } from '../../models/ports.ts';
import type { ScenarioApp } from '../../scenario/types.ts';
import { FlinkCluster, type ClusterClock } from '../flink/flink-cluster.ts';
import { crashLoopCrashes } from '../kubelet.ts';
import type { TruthSnapshot } from '../../record/truth.ts';

interface SimPod {
  name: string;
  phase: 'Pending' | 'Running' | 'Failed';
  restartCount: number;
  ready: boolean;
  lastTerminated: { reason: string; exitCode: number } | undefined;
  /** state.waiting.reason while the container waits to start again */
  waitingReason: string | undefined;
}

export class SimWorld {
  readonly app: ScenarioApp;
  readonly flink: FlinkCluster;
  private readonly clock: ClusterClock;
  private deploymentExists = true;
  private pod: SimPod | undefined;
  private podGeneration = 1;
  private readonly onTruth: (snapshot: TruthSnapshot) => void;

  constructor(app: ScenarioApp, clock: ClusterClock, onTruth: (snapshot: TruthSnapshot) => void) {
    this.app = app;
    this.clock = clock;
    this.onTruth = onTruth;
    this.pod = { name: this.podName(), phase: 'Running', restartCount: 0, ready: true, lastTerminated: undefined, waitingReason: undefined };
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

  /** Deployment get + pod list; `undefined` when the Deployment is not there. */
  deploymentPods(namespace: string, name: string): PodView[] | undefined {
    if (!this.deploymentExists || namespace !== this.app.namespace || name !== this.app.clusterId) return undefined;
    const pod = this.pod;
    if (pod === undefined) return [];
    return [
      {
        name: pod.name,
        phase: pod.phase,
        containers: [{ name: 'flink-main-container', restartCount: pod.restartCount, ready: pod.ready, ...(pod.lastTerminated ? { lastTerminated: pod.lastTerminated } : {}), ...(pod.waitingReason ? { waitingReason: pod.waitingReason } : {}) }],
      },
    ];
  }

  truth(): TruthSnapshot {
    const pod = this.pod;
    return {
      deploymentExists: this.deploymentExists,
      pod: pod === undefined ? undefined : { name: pod.name, phase: pod.phase, restartCount: pod.restartCount, ready: pod.ready, lastTerminated: pod.lastTerminated?.reason },
      restServing: this.flink.isServing(),
      jobs: this.flink.jobStates(),
    };
  }

  /** Container restart in place: restartCount+1, lastState.terminated set, waiting in CrashLoopBackOff, phase stays Running. */
  restartJobManager(downtimeMs: number, reason = 'Error'): void {
    const pod = this.pod;
    if (pod === undefined) return;
    this.crash(pod, reason);
    this.flink.jobManagerDown();
    this.clock.setTimeout(() => {
      if (this.pod !== pod) return;
      pod.ready = true;
      pod.waitingReason = undefined;
      this.flink.jobManagerUp();
    }, downtimeMs);
  }

  /** The JobManager container crashes and keeps crashing on the kubelet's back-off (kubelet.ts): never ready again. */
  crashLoopJobManager(untilMs: number, reason = 'Error'): void {
    const pod = this.pod;
    if (pod === undefined) return;
    this.flink.jobManagerDown();
    for (const at of crashLoopCrashes(untilMs)) {
      this.clock.setTimeout(() => {
        if (this.pod !== pod) return;
        this.crash(pod, reason);
        this.report();
      }, at);
    }
  }

  /** Pod deleted: the ReplicaSet creates a replacement at once, Pending until `downtime` is over. */
  deleteJobManagerPod(downtimeMs: number): void {
    if (!this.deploymentExists) return;
    this.podGeneration += 1;
    const pod: SimPod = { name: this.podName(), phase: 'Pending', restartCount: 0, ready: false, lastTerminated: undefined, waitingReason: undefined };
    this.pod = pod;
    this.flink.jobManagerDown();
    this.clock.setTimeout(() => {
      if (this.pod !== pod) return;
      pod.phase = 'Running';
      pod.ready = true;
      this.flink.jobManagerUp();
    }, downtimeMs);
  }

  /** The Deployment is deleted for good: its pod and Service go with it, and the REST API. */
  deleteDeployment(): void {
    if (!this.deploymentExists) return;
    this.deploymentExists = false;
    this.pod = undefined;
    this.flink.jobManagerDown();
  }

  dispose(): void {
    this.flink.dispose();
  }

  private crash(pod: SimPod, reason: string): void {
    pod.restartCount += 1;
    pod.lastTerminated = { reason, exitCode: 1 };
    pod.ready = false;
    pod.waitingReason = 'CrashLoopBackOff';
  }

  private podName(): string {
    return `${this.app.clusterId}-jobmanager-${this.podGeneration}`;
  }

  private report(): void {
    this.onTruth(this.truth());
  }
}
