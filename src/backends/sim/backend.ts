/**
 * The simulation backend: an in-memory world and network on virtual time. Deterministic: the
 * same scenario and seed give the same run, byte for byte.
 */
import type { Backend, BackendSession, OpenOptions } from '../backend.ts';
import type { Scenario, ScheduledAction, ScheduledFault } from '../../scenario/types.ts';
import { VirtualClock } from './virtual-clock.ts';
import { SimNetwork } from './network.ts';
import { simPorts } from './ports.ts';
import { createNamedRandom, createRandom } from './random.ts';
import { SimWorld } from './world.ts';

class SimSession implements BackendSession {
  readonly clock = new VirtualClock();
  readonly metadata = { backend: 'sim', network: 'Toxiproxy 2.12.0 semantics (docs/toxics.md)' };
  private readonly world: SimWorld;
  private readonly network: SimNetwork;

  private readonly signal: AbortSignal | undefined;
  private readonly durationMs: number;
  private readonly seed: number;

  constructor(scenario: Scenario, options: OpenOptions) {
    this.signal = options.signal;
    this.durationMs = scenario.durationMs;
    this.seed = options.seed;
    this.network = new SimNetwork(this.clock, createRandom(options.seed), options.timeScale);
    this.world = new SimWorld(scenario.app, this.clock, options.onTruth, options.timeScale);
  }

  trackerPorts(client: string) {
    return simPorts(this.world, this.network, this.clock, createNamedRandom(this.seed, client));
  }

  begin(): void {}

  restEndpoint(): string {
    return this.world.restServiceUrl(this.world.app.namespace, this.world.app.clusterId) ?? `http://${this.world.app.clusterId}-rest.${this.world.app.namespace}:8081`;
  }

  async applyFault(fault: ScheduledFault): Promise<void> {
    this.network.applyFault(fault.id, fault.spec);
  }

  async removeFault(fault: ScheduledFault): Promise<void> {
    this.network.removeFault(fault.id);
  }

  async perform(action: ScheduledAction): Promise<void> {
    switch (action.action) {
      case 'restart-jobmanager':
        return this.world.restartJobManager(action.downtimeMs ?? 0, action.reason);
      case 'crash-loop-jobmanager':
        return this.world.crashLoopJobManager(this.durationMs - action.atMs, action.reason);
      case 'delete-jobmanager-pod':
        return this.world.deleteJobManagerPod(action.downtimeMs ?? 0);
      case 'evict-jobmanager-pod':
        return this.world.evictJobManagerPod(action.downtimeMs ?? 0, action.listed ?? 'first');
      case 'delete-deployment':
        return this.world.deleteDeployment();
      case 'fail-job':
        return this.world.flink.failJob(action.job!);
      case 'finish-job':
        return this.world.flink.finishJob(action.job!);
      default:
        throw new Error(`${action.action} is not a world action`);
    }
  }

  /** Run to `t`; a cancelled run stops at the next step (within a second of wall time). */
  async runUntil(t: number): Promise<void> {
    const signal = this.signal;
    await this.clock.runUntil(t, () => signal?.aborted === true);
    if (signal?.aborted) throw signal.reason;
  }

  async close(): Promise<void> {
    this.world.dispose();
  }
}

export const simBackend: Backend = {
  name: 'sim',
  async open(scenario, options) {
    return new SimSession(scenario, options);
  },
};
