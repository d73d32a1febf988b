/**
 * `--backend kind --flink real`: the JobManager pod runs the Flink image `npm run tools` built
 * (Debian's JRE 17 and the same Flink 1.18.1 jars, job and configuration as the local backend's
 * JVMs) with the same command lines (local/flink/flink-commands.ts): the JobManager as an
 * application cluster in the main container, one TaskManager beside it in the pod, their folders
 * (Flink's tmp, work, history archive, the job's trigger files) on an emptyDir both mount.
 * A container restart is a real kill: the kubelet starts the JobManager's container again, whose
 * script first waits out the restart's downtime (noted in the emptyDir by the restart command),
 * as the stub does; Flink then recovers at its own pace.
 */
import type { V1Container } from '@kubernetes/client-node';
import type { Scenario } from '../../scenario/types.ts';
import { loadFlinkInstall, type FlinkInstall } from '../local/flink/flink-install.ts';
import { clusterPaths, jobManagerCommand, taskManagerCommand, type ClusterLayout, type ProcessCommand } from '../local/flink/flink-commands.ts';
import type { WorkloadSpec } from '../shared/workload.ts';
import { REST_NODE_PORT } from './config.ts';
import { CRASH_EXIT_CODE, CRASH_LOOP_FILE, REST_PORT, RESTART_UNTIL_FILE, STATE_DIR } from './stub/protocol.ts';

/** Where the image keeps Flink (scripts/tools/workload-images.mjs). */
export const FLINK_HOME = '/opt/flink';
const RPC_PORT = 6123;

/** The installed Flink (its JVM sizing and job class), with the image's paths. */
export function imageFlinkInstall(env: NodeJS.ProcessEnv): FlinkInstall {
  const host = loadFlinkInstall(env);
  return { ...host, home: FLINK_HOME, libDir: `${FLINK_HOME}/lib`, confDir: `${FLINK_HOME}/conf`, java: 'java' };
}

/** The cluster's folders inside the pod: all on the shared emptyDir. */
export function podLayout(app: Scenario['app']): ClusterLayout {
  const [job] = app.jobs;
  return {
    dir: `${STATE_DIR}/flink`,
    logsDir: `${STATE_DIR}/logs`,
    restPort: REST_PORT,
    rpcPort: RPC_PORT,
    zooKeeperPort: undefined,
    jobName: job!.name,
    clusterId: app.clusterId,
    fixedJobId: app.fixedJobId ? job!.jobId : undefined,
  };
}

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/** The container's shell script: its folders and configuration, the crash loop or the restart's downtime (JobManager), then the JVM (as PID 1, so `kill 1` reaches it). */
export function startScript(command: ProcessCommand, layout: ClusterLayout, waitForRestart: boolean): string {
  const paths = clusterPaths(layout);
  const folders = [paths.conf, paths.tmp, `${paths.tmp}/web`, paths.work, paths.archive, paths.triggers, layout.logsDir].map(quote).join(' ');
  const wait = waitForRestart
    ? `if [ -f ${STATE_DIR}/${CRASH_LOOP_FILE} ]; then echo 'statuschaos: crash loop: exiting with ${CRASH_EXIT_CODE} at start'; exit ${CRASH_EXIT_CODE}; fi; if [ -f ${STATE_DIR}/${RESTART_UNTIL_FILE} ]; then ms=$(( $(cat ${STATE_DIR}/${RESTART_UNTIL_FILE}) - $(date +%s%3N) )); rm -f ${STATE_DIR}/${RESTART_UNTIL_FILE}; if [ "$ms" -gt 0 ]; then echo "statuschaos: down for $ms ms (restart downtime)"; sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"; fi; fi; `
    : '';
  return `set -e; mkdir -p ${folders}; cp -n ${FLINK_HOME}/conf/* ${quote(paths.conf)}/ 2>/dev/null || true; ${wait}cd ${FLINK_HOME}; exec ${[command.file, ...command.args].map(quote).join(' ')}`;
}

/** REST on every address of the pod (the configuration binds 127.0.0.1, right for JVMs on this machine). */
function bindRestEverywhere(command: ProcessCommand): ProcessCommand {
  const at = command.args.indexOf('--configDir') + 2;
  return { ...command, args: [...command.args.slice(0, at), '-D', 'rest.bind-address=0.0.0.0', '-D', 'jobmanager.bind-host=0.0.0.0', ...command.args.slice(at)] };
}

/** The JobManager pod of a real Flink application cluster on kind. */
export function realFlinkWorkload(scenario: Scenario, install: FlinkInstall, image: string): Partial<WorkloadSpec> {
  const layout = podLayout(scenario.app);
  const state = { name: 'statuschaos-state', mountPath: STATE_DIR };
  const taskManager: V1Container = {
    name: 'taskmanager',
    image,
    imagePullPolicy: 'IfNotPresent',
    command: ['sh', '-c', startScript(taskManagerCommand(install, layout), layout, false)],
    volumeMounts: [state],
  };
  return {
    container: {
      command: ['sh', '-c', startScript(bindRestEverywhere(jobManagerCommand(install, layout)), layout, true)],
      args: [],
      imagePullPolicy: 'IfNotPresent',
      readinessProbe: { tcpSocket: { port: REST_PORT }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 },
      volumeMounts: [state],
    },
    sidecars: [taskManager],
    volumes: [{ name: 'statuschaos-state', emptyDir: {} }],
    restNodePort: REST_NODE_PORT,
    restPublishNotReady: true,
  };
}

/** Why a scenario cannot run on the kind backend's real Flink, or undefined. */
export function unsupportedOnImageFlink(scenario: Scenario): string | undefined {
  if (scenario.app.mode !== 'application' || scenario.app.jobs.length !== 1) return `it runs ${scenario.app.jobs.length} job(s) in ${scenario.app.mode} mode; --flink real runs one job in application mode`;
  if (scenario.app.ha) return 'it asks for HA (ZooKeeper), which the kind backend\'s real Flink pod does not run';
  return undefined;
}

/** The shell command that writes a trigger file the job reads (fail-job, finish-job), run in the TaskManager container. */
export function triggerShellCommand(app: Scenario['app'], verb: 'fail' | 'finish'): string {
  return `date > ${quote(`${clusterPaths(podLayout(app)).triggers}/${verb}`)}`;
}
