/**
 * The harness's probes of each faulted call path: while a fault is on a path
 * (scenario/fault-periods.ts), what a tracker asks through it — Flink's job overview; the
 * deployments, then the deployment's pods — with each tracker design's timeouts, when the
 * fault comes or goes, when Flink's REST endpoint starts or stops serving, and every poll interval
 * in between. What they got is the evidence of what a tracker's calls could learn there
 * (check/reach.ts): a path is blind to a design only while calls with its timeouts actually fail,
 * not merely while a toxic is on it. The probes have ports of their own (their own connections and
 * draws), so they change nothing a tracker meets.
 */
import type { RunClock } from '../backends/backend.ts';
import type { HttpTimeouts, TrackerPorts } from '../models/ports.ts';
import { probeKey, type ProbeEntry } from '../record/run-record.ts';
import { CALL_PATHS, faultPeriods, type CallPath } from '../scenario/fault-periods.ts';
import type { ScheduledFault } from '../scenario/types.ts';

export interface ProbeSettings {
  ports: TrackerPorts;
  clock: RunClock;
  namespace: string;
  clusterId: string;
  restUrl: () => string;
  faults: readonly ScheduledFault[];
  durationMs: number;
  timeScale: number;
  /** the distinct timeouts of the variants' designs, per path */
  timeouts: Record<CallPath, readonly HttpTimeouts[]>;
  everyMs: number;
  /** where the probes' outcomes go (in the order they settle) */
  entries: ProbeEntry[];
}

export class PathProbes {
  private readonly settings: ProbeSettings;
  private readonly periods: Record<CallPath, { from: number; to: number }[]>;

  constructor(settings: ProbeSettings) {
    this.settings = settings;
    const periods = (path: CallPath) => faultPeriods(settings.faults, path, settings.durationMs, settings.timeScale);
    this.periods = { apiserver: periods('apiserver'), 'flink-rest': periods('flink-rest') };
  }

  /** Schedule a probe every `everyMs` inside each path's fault periods (their starts and ends are the fault steps' to probe). */
  schedule(): void {
    const { clock, everyMs } = this.settings;
    for (const path of CALL_PATHS) {
      const times = new Set<number>();
      for (const period of this.periods[path]) for (let t = period.from + everyMs; t < period.to; t += everyMs) times.add(t);
      for (const t of times) clock.setTimeout(() => this.probe(path), Math.max(0, t - clock.now()));
    }
  }

  /** Probe `path` now with every design's timeouts, if a fault is on it. */
  probe(path: CallPath): void {
    const now = this.settings.clock.now();
    if (!this.periods[path].some((period) => period.from <= now && now < period.to)) return;
    for (const timeouts of this.settings.timeouts[path]) void this.send(path, timeouts);
  }

  private async send(path: CallPath, timeouts: HttpTimeouts): Promise<void> {
    const { ports, clock, entries } = this.settings;
    const t = clock.now();
    let ok = true;
    try {
      // what a tracker asks Kubernetes when Flink does not answer: is the deployment there, and its pods
      if (path === 'apiserver') {
        await ports.listFlinkDeployments({ namespace: this.settings.namespace, ...timeouts });
        await ports.getDeploymentPods({ namespace: this.settings.namespace, name: this.settings.clusterId, ...timeouts });
      } else await ports.fetchJobsOverview({ restUrl: this.settings.restUrl(), ...timeouts });
    } catch {
      ok = false;
    }
    entries.push({ t, path, timeouts: probeKey(timeouts), ok, ms: clock.now() - t });
  }
}
