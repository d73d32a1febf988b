/**
 * Ports for model tests: every call's outcome comes from a script, resolves after a scripted
 * latency on the virtual clock, and is logged, so a test states exactly what the world answered.
 */
import type { VirtualClock } from '../../src/backends/sim/virtual-clock.ts';
import { PortError, type PortCall, type PortErrorKind, type TrackerPorts } from '../../src/models/ports.ts';

export type ScriptedAnswer = { ok: unknown; latencyMs?: number } | { fail: PortErrorKind; latencyMs?: number; message?: string };
export type Script = (call: PortCall, request: Record<string, unknown>, now: number) => ScriptedAnswer;

export interface CallLogEntry {
  at: number;
  call: PortCall;
  request: Record<string, unknown>;
  outcome: 'ok' | PortErrorKind;
}

/** `enforceTimeouts`: an answer later than the request's response timeout fails with `timeout` then, as a real client's would. */
export function scriptedPorts(clock: VirtualClock, script: Script, options: { enforceTimeouts?: boolean } = {}): TrackerPorts & { log: CallLogEntry[] } {
  const log: CallLogEntry[] = [];
  const run = (call: PortCall) => (request: object) =>
    new Promise<never>((resolve, reject) => {
      const at = clock.now();
      const scripted = script(call, request as Record<string, unknown>, at);
      const timeoutMs = options.enforceTimeouts ? (request as { responseTimeoutMs?: number }).responseTimeoutMs : undefined;
      const latencyMs = scripted.latencyMs ?? 10;
      const answer: ScriptedAnswer = timeoutMs !== undefined && latencyMs > timeoutMs ? { fail: 'timeout', latencyMs: timeoutMs } : scripted;
      clock.setTimeout(() => {
        if ('fail' in answer) {
          log.push({ at, call, request: request as Record<string, unknown>, outcome: answer.fail });
          reject(new PortError(call, answer.fail, answer.message ?? 'scripted'));
        } else {
          log.push({ at, call, request: request as Record<string, unknown>, outcome: 'ok' });
          resolve(answer.ok as never);
        }
      }, answer.latencyMs ?? 10);
    });
  return {
    log,
    now: () => clock.now(),
    fetchJobsOverview: run('fetchJobsOverview'),
    lookupRestService: run('lookupRestService'),
    getApiServerVersion: run('getApiServerVersion'),
    lookupIngress: run('lookupIngress'),
    listFlinkDeployments: run('listFlinkDeployments'),
    getDeploymentPods: run('getDeploymentPods'),
    fetchTerminatedPodLog: run('fetchTerminatedPodLog'),
    readHistoryArchive: run('readHistoryArchive'),
    cancelJob: run('cancelJob'),
    cancelFlinkJob: run('cancelFlinkJob'),
  } as unknown as TrackerPorts & { log: CallLogEntry[] };
}
