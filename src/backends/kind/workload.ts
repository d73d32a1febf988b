/**
 * How the JobManager pod looks on kind: the REST stub image (the scenario's app and timing in its
 * environment, a readiness probe on the REST port, an emptyDir that carries a restart's downtime
 * across the kill), or a real Flink image in application mode; either way the `-rest` Service is
 * a NodePort that kind maps to the host.
 */
import type { V1Service } from '@kubernetes/client-node';
import type { Scenario } from '../../scenario/types.ts';
import { jobManagerLabels, type WorkloadSpec } from '../shared/workload.ts';
import { CONTROL_NODE_PORT, REST_NODE_PORT } from './config.ts';
import { CONTROL_PORT, REST_PORT, STATE_DIR, STUB_ENV } from './stub/protocol.ts';

const stateVolume = { volumes: [{ name: 'statuschaos-state', emptyDir: {} }], volumeMounts: [{ name: 'statuschaos-state', mountPath: STATE_DIR }] };
const readiness = { tcpSocket: { port: REST_PORT }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 };

/** The stub control Service: a NodePort the harness polls from the host. */
function controlService(scenario: Scenario): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${scenario.app.clusterId}-statuschaos-control` },
    spec: { type: 'NodePort', selector: jobManagerLabels(scenario.app.clusterId), publishNotReadyAddresses: true, ports: [{ name: 'control', port: CONTROL_PORT, targetPort: CONTROL_PORT, nodePort: CONTROL_NODE_PORT }] },
  };
}

/** The REST stub image as the JobManager; `startDelayMs` keeps a new pod down as long as kwok would keep it Pending. */
export function stubWorkload(scenario: Scenario, options: { timeScale: number; startDelayMs: number }): Partial<WorkloadSpec> {
  return {
    container: {
      args: [],
      imagePullPolicy: 'IfNotPresent', // loaded by `kind load`, never pulled
      env: [
        { name: STUB_ENV.app, value: JSON.stringify(scenario.app) },
        { name: STUB_ENV.timeScale, value: String(options.timeScale) },
        { name: STUB_ENV.startDelayMs, value: String(Math.round(options.startDelayMs)) },
      ],
      readinessProbe: readiness,
      volumeMounts: stateVolume.volumeMounts,
    },
    volumes: stateVolume.volumes,
    restNodePort: REST_NODE_PORT,
    restPublishNotReady: true,
    extraServices: [controlService(scenario)],
  };
}

/** Flink settings of the JobManager and its TaskManager, both in the pod (they meet on localhost). */
const FLINK_PROPERTIES = ['jobmanager.rpc.address: localhost', 'rest.bind-address: 0.0.0.0', `rest.port: ${REST_PORT}`, 'taskmanager.numberOfTaskSlots: 2', 'parallelism.default: 1'].join('\n');
/** The example job every Flink image ships, run in application mode. */
const EXAMPLE_JAR = '/opt/flink/examples/streaming/StateMachineExample.jar';
const EXAMPLE_CLASS = 'org.apache.flink.streaming.examples.statemachine.StateMachineExample';

/**
 * A real Flink image: the JobManager in application mode (`standalone-job`) running Flink's
 * StateMachineExample under the scenario job's id, and a TaskManager beside it. One job only.
 */
export function flinkWorkload(scenario: Scenario, image: string): Partial<WorkloadSpec> {
  const [job] = scenario.app.jobs;
  const script = `mkdir -p /opt/flink/usrlib && cp ${EXAMPLE_JAR} /opt/flink/usrlib/ && exec /docker-entrypoint.sh standalone-job --job-classname ${EXAMPLE_CLASS} --job-id ${job!.jobId}`;
  const env = [{ name: 'FLINK_PROPERTIES', value: FLINK_PROPERTIES }];
  return {
    container: { command: ['bash', '-c', script], args: [], env, readinessProbe: readiness, volumeMounts: stateVolume.volumeMounts },
    sidecars: [{ name: 'taskmanager', image, args: ['taskmanager'], env }],
    volumes: stateVolume.volumes,
    restNodePort: REST_NODE_PORT,
    restPublishNotReady: true,
  };
}

/**
 * Why a scenario cannot run on the REST stub image, or undefined when it can: a container restart
 * is counted in the pod's emptyDir, but a new pod (deleted, evicted) starts afresh, so it cannot
 * lose a session cluster's jobs (no HA) nor give an application's job a new id (no HA, no fixed id).
 */
export function unsupportedOnStub(scenario: Scenario): string | undefined {
  const { app } = scenario;
  const replacement = scenario.actions.find((candidate) => candidate.action === 'delete-jobmanager-pod' || candidate.action === 'evict-jobmanager-pod');
  if (replacement === undefined || app.ha) return undefined;
  if (app.mode === 'session') return `its ${replacement.action} at ${replacement.atMs / 1000}s must lose the session cluster's jobs (no HA), and the stub in the new pod starts them again`;
  if (!app.fixedJobId) return `its ${replacement.action} at ${replacement.atMs / 1000}s must give the job a new id (no HA, no fixed job id), and the stub in the new pod keeps the configured one`;
  return undefined;
}

/** Why a scenario cannot run on a real Flink image, or undefined when it can. */
export function unsupportedOnRealFlink(scenario: Scenario): string | undefined {
  if (scenario.app.mode !== 'application' || scenario.app.jobs.length !== 1) return `it runs ${scenario.app.jobs.length} job(s) in ${scenario.app.mode} mode; a real Flink image runs one job in application mode`;
  const action = scenario.actions.find((candidate) => candidate.action === 'fail-job' || candidate.action === 'finish-job');
  if (action !== undefined) return `its ${action.action} at ${action.atMs / 1000}s needs the REST stub's control endpoint`;
  const crashLoop = scenario.actions.find((candidate) => candidate.action === 'crash-loop-jobmanager');
  if (crashLoop !== undefined) return `its crash-loop-jobmanager at ${crashLoop.atMs / 1000}s needs a JobManager that fails at start when told (the REST stub, or --flink real)`;
  if (!scenario.app.fixedJobId && !scenario.app.ha) return 'it asks for a job without a fixed id, and the real image runs it with --job-id';
  return undefined;
}
