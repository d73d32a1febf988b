/**
 * Wraps a tracker's ports so that every call is recorded in its variant's lane (the poll
 * outcomes of the report), whatever the backend.
 */
import { asPortError, type TrackerPorts } from '../models/ports.ts';
import type { PollEntry } from '../record/run-record.ts';

const TARGET_OF: Readonly<Record<string, PollEntry['target']>> = {
  fetchJobsOverview: 'flink-rest',
  cancelJob: 'flink-rest',
  readHistoryArchive: 'local',
};

export function recordingPorts(ports: TrackerPorts, polls: PollEntry[]): TrackerPorts {
  const wrapped = { now: () => ports.now() } as TrackerPorts;
  for (const call of Object.keys(ports) as (keyof TrackerPorts)[]) {
    if (call === 'now') continue;
    const original = (ports[call] as (request: unknown) => Promise<unknown>).bind(ports);
    (wrapped as unknown as Record<string, unknown>)[call] = async (request: unknown) => {
      const t = ports.now();
      const target = TARGET_OF[call] ?? 'apiserver';
      try {
        const value = await original(request);
        polls.push({ t, call, target, outcome: 'ok', ms: ports.now() - t });
        return value;
      } catch (error) {
        const portError = asPortError(call, error);
        polls.push({ t, call, target, outcome: portError.kind, ms: ports.now() - t });
        throw portError;
      }
    };
  }
  return wrapped;
}
