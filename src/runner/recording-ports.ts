/**
 * Wraps a tracker's ports so that every call is recorded in its variant's lane (the poll
 * outcomes of the report), whatever the backend.
 */
import { asPortError, PORT_CALLS, type PortCall, type TrackerPorts } from '../models/ports.ts';
import type { PollReport } from '../trackers/tracker.ts';

export function recordingPorts(ports: TrackerPorts, onPoll: (poll: PollReport & { at: number }) => void): TrackerPorts {
  const recorded = async <T>(call: PortCall, send: () => Promise<T>): Promise<T> => {
    const t = ports.now();
    const target = PORT_CALLS[call];
    try {
      const value = await send();
      onPoll({ at: t, call, target, outcome: 'ok', ms: ports.now() - t });
      return value;
    } catch (error) {
      const portError = asPortError(call, error);
      onPoll({ at: t, call, target, outcome: portError.kind, ms: ports.now() - t });
      throw portError;
    }
  };
  const wrapped: Record<string, unknown> = { now: () => ports.now() };
  for (const call of Object.keys(PORT_CALLS) as PortCall[]) {
    const send = ports[call] as (request: unknown) => Promise<unknown>;
    wrapped[call] = (request: unknown) => recorded(call, () => send.call(ports, request));
  }
  return wrapped as unknown as TrackerPorts;
}
