/**
 * The Flink REST stub image's entry point (clusters/flink-rest-stub/Dockerfile): the project's
 * FlinkCluster and REST stub as the JobManager container's main process. At every start, fresh
 * pod or container restart, it stays down for a while (the restart's downtime, else the pod's
 * start delay), then reports the scenario's recovery states and RUNNING: a pod's first start
 * under the configured job ids, a container restart as Flink restarts (a counter in the emptyDir
 * says which start it is: new ids without HA or a fixed id, a session cluster's jobs lost). A new
 * pod starts afresh, so the kind backend refuses scenarios whose pod replacement must change an id
 * or lose session jobs. SIGTERM ends it with
 * 143, as a killed JobManager would, so `kill 1` from `kubectl exec` restarts the container.
 * After crash-loop-jobmanager (a mark in the emptyDir) every start exits at once with 1.
 */
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlinkCluster } from '../../flink/flink-cluster.ts';
import { startFlinkRestStub, type FlinkRestStub } from '../../flink/flink-rest-stub.ts';
import { ScaledClock } from '../../shared/scaled-clock.ts';
import { startControlServer } from './control-server.ts';
import { CRASH_EXIT_CODE, CRASH_LOOP_FILE, RESTART_UNTIL_FILE, STARTS_FILE, readStubConfig, type StubConfig } from './protocol.ts';

const log = (message: string) => process.stdout.write(`flink-rest-stub: ${message}\n`);

/** How long this start stays down: until the restart deadline left by the restart command (consumed), else the start delay. */
async function downtimeMs(config: StubConfig): Promise<number> {
  const file = join(config.stateDir, RESTART_UNTIL_FILE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return config.startDelayMs;
  await rm(file, { force: true });
  const until = Number(text.trim());
  return Number.isFinite(until) ? Math.max(0, until - Date.now()) : config.startDelayMs;
}

/** How often this pod's JobManager container started before (a counter in the emptyDir, which a container restart keeps and a new pod starts afresh). */
async function countStart(config: StubConfig): Promise<number> {
  const file = join(config.stateDir, STARTS_FILE);
  const before = Number((await readFile(file, 'utf8').catch(() => '0')).trim()) || 0;
  await writeFile(file, String(before + 1));
  return before;
}

for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  process.on(signal, () => {
    log(`${signal}: exiting with ${code}`);
    process.exit(code);
  });
}

const config = readStubConfig(process.env);
if (await access(join(config.stateDir, CRASH_LOOP_FILE)).then(() => true, () => false)) {
  // crash-loop-jobmanager: this container fails at every start; the kubelet restarts it with its back-off
  log(`crash loop: exiting with ${CRASH_EXIT_CODE} at start`);
  process.exit(CRASH_EXIT_CODE);
}
const clock = new ScaledClock(config.timeScale);
let shutdown = false;
let stub: FlinkRestStub | undefined;
const flink = new FlinkCluster(config.app, clock, {
  onChange: () => void stub?.sync(),
  onShutdown: () => {
    shutdown = true;
    log('the job ended: application mode shuts the cluster down');
  },
});
flink.jobManagerDown(); // nothing serves until the downtime is over; this process then submits the job for the first time (same id)
const jobIds = Object.fromEntries(config.app.jobs.map((job) => [job.name, job.jobId]));
const control = await startControlServer(flink, { host: config.host, port: config.controlPort, jobIds, shutdown: () => shutdown });
log(`control on ${config.host}:${control.port}`);
const previousStarts = await countStart(config);
const wait = await downtimeMs(config);
log(`down for ${Math.round(wait)} ms`);
await sleep(wait);
// the container's first start: the configured jobs; a restart of it: what Flink does after a restart
// (a session cluster without HA has lost its jobs, an application without a fixed id gets a new one)
if (previousStarts === 0) flink.jobManagerStarted();
else flink.jobManagerRestartedAs(previousStarts);
stub = await startFlinkRestStub(flink, { host: config.host, port: config.restPort });
log(`REST on ${config.host}:${stub.port}, jobs ${JSON.stringify(flink.jobStates())}`);
