/**
 * When the faults of a scenario are on each call path: the trackers' calls to the Kubernetes API
 * (through the API server, or behind it on its path to etcd) and to Flink's REST endpoint. An etcd
 * fault lasts on the API path until etcd's client can have reconnected after it
 * (etcd-reconnect.ts). The runner probes each path while a fault is on it (runner/probes.ts), and
 * the oracles judge what calls could learn there from those probes (check/reach.ts).
 */
import { longestEtcdReconnectWallMs } from './etcd-reconnect.ts';
import { callPath, drawsPerCall } from './toxics.ts';
import type { ScheduledFault } from './types.ts';

export type CallPath = 'apiserver' | 'flink-rest';
export const CALL_PATHS: readonly CallPath[] = ['apiserver', 'flink-rest'];

export interface FaultPeriod {
  from: number;
  to: number;
  /** the fault draws per call (check/reach.ts: its probes say nothing certain) — never in an etcd fault's reconnect tail */
  drawsPerCall: boolean;
}

/** Each fault's period on `path`, in scenario ms; an etcd fault's reconnect tail is a period of its own (no draws). */
export function faultPeriods(faults: readonly ScheduledFault[], path: CallPath, durationMs: number, timeScale: number): FaultPeriod[] {
  const scale = timeScale > 0 ? timeScale : 1;
  const periods: FaultPeriod[] = [];
  for (const fault of faults) {
    if (callPath(fault.spec.target) !== path) continue;
    const to = Math.min(durationMs, fault.untilMs ?? durationMs);
    periods.push({ from: fault.atMs, to, drawsPerCall: drawsPerCall(fault.spec) });
    if (fault.spec.target === 'etcd') {
      const tailMs = longestEtcdReconnectWallMs((to - fault.atMs) * scale) / scale;
      periods.push({ from: to, to: Math.min(durationMs, to + tailMs), drawsPerCall: false });
    }
  }
  return periods.filter((period) => period.to > period.from);
}
