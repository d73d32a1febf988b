/**
 * Wraps a tracker's ports so that every call is recorded in its variant's lane (the poll
 * outcomes of the report), whatever the backend.
 */
import { asPortError, type PortCall, type TrackerPorts } from '../models/ports.ts';
import type { PollEntry } from '../record/run-record.ts';

const TARGET_OF: Readonly<Partial<Record<PortCall, PollEntry['target']>>> = {
  fetchJobsOverview: 'flink-rest',
  cancelJob: 'flink-rest',
  cancelFlinkJob: 'flink-rest',
  readHistoryArchive: 'local',
};

export function recordingPorts(ports: TrackerPorts, polls: PollEntry[]): TrackerPorts {
  const recorded = async <T>(call: PortCall, send: () => Promise<T>): Promise<T> => {
    const t = ports.now();
    const target = TARGET_OF[call] ?? 'apiserver';
    try {
      const value = await send();
      polls.push({ t, call, target, outcome: 'ok', ms: ports.now() - t });
      return value;
    } catch (error) {
      const portError = asPortError(call, error);
      polls.push({ t, call, target, outcome: portError.kind, ms: ports.now() - t });
      throw portError;
    }
  };
  return {
    now: () => ports.now(),
    fetchJobsOverview: (request) => recorded('fetchJobsOverview', () => ports.fetchJobsOverview(request)),
    lookupRestService: (request) => recorded('lookupRestService', () => ports.lookupRestService(request)),
    getApiServerVersion: (request) => recorded('getApiServerVersion', () => ports.getApiServerVersion(request)),
    lookupIngress: (request) => recorded('lookupIngress', () => ports.lookupIngress(request)),
    listFlinkDeployments: (request) => recorded('listFlinkDeployments', () => ports.listFlinkDeployments(request)),
    getDeploymentPods: (request) => recorded('getDeploymentPods', () => ports.getDeploymentPods(request)),
    fetchTerminatedPodLog: (request) => recorded('fetchTerminatedPodLog', () => ports.fetchTerminatedPodLog(request)),
    readHistoryArchive: (request) => recorded('readHistoryArchive', () => ports.readHistoryArchive(request)),
    cancelJob: (request) => recorded('cancelJob', () => ports.cancelJob(request)),
    cancelFlinkJob: (request) => recorded('cancelFlinkJob', () => ports.cancelFlinkJob(request)),
  };
}
