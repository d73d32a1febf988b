// The kind part of `npm run bench:live` (also on its own: node scripts/bench-kind.mjs): kind's
// cluster creation from the node image `npm run tools` built, `kind load docker-image` of the REST
// stub, then what a real kubelet does with the JobManager's container, which the simulation and
// the local backend imitate (src/backends/kubelet.ts; docs/kind.md has the figures):
// - a restart (`kill 1` in the container): when the API shows the container terminated, running
//   again (restartCount + 1) and ready, each measured from the kill, on three fresh pods;
// - a crash loop (every start fails at once): when each restart happens (the back-off);
// and a scenario's wall time ÷ its schedule on kind at the fast profile.
// Usage: node scripts/bench-kind.mjs [--scenario scenarios/incident-3618.yaml] [--crash-restarts 4] [--no-kind]
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { argv } from 'zx';

const { defaultToolsDir } = await import('../src/backends/shared/tools-dir.ts');
if (argv.kind === false || !existsSync(join(defaultToolsDir(), 'kind', 'images.json'))) {
  console.log('kind: skipped (kind\'s world is not built: `npm run tools` as root; or --no-kind)');
  process.exit(0);
}
const { kindBackend } = await import('../src/backends/kind/backend.ts');
const { acquireDockerEngine } = await import('../src/backends/kind/docker-engine.ts');
const { runAndStore } = await import('../src/pipeline/run-and-store.ts');
const { readRunRecord } = await import('../src/record/store.ts');
const { loadScenarios } = await import('../src/scenario/files.ts');
const { modelNames } = await import('../src/models/registry.ts');
const { PROFILE_SCALE } = await import('../src/models/timing.ts');
const { parseScenario } = await import('../src/scenario/load.ts');

const work = await mkdtemp(join(tmpdir(), 'statuschaos-bench-kind-'));
const seconds = (ms) => (ms / 1000).toFixed(2);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const engine = await acquireDockerEngine({ logFile: join(work, 'dockerd.log'), onProgress: console.log });

/** Progress lines of the backend that carry figures (creation, image load, readiness). */
const progress = [];
const backend = await kindBackend({ env: process.env, workDir: join(work, 'cluster'), keepCluster: false });
// a scenario that does nothing for a long time: the harness's session holds the pod while we watch the kubelet
const idle = parseScenario('name: kubelet-timing\napp: { clusterId: timing }\nduration: 10m\ntimeline: []\n', 'kubelet-timing.yaml');
const options = () => ({ seed: 1, timeScale: 1, runDir: work, onTruth: () => {}, onProgress: (message) => progress.push({ message, t: performance.now() }) });

try {
  const began = performance.now();
  const first = await backend.open(idle, options());
  const bringUp = (performance.now() - began) / 1000;
  for (const { message } of progress.filter(({ message }) => /ready in|loaded into|node image/.test(message))) console.log(message);
  console.log(`kind: first scenario ready (cluster created, image loaded, pod running, job RUNNING) after ${bringUp.toFixed(1)} s`);
  await first.close();

  /** Poll the JobManager pod's container status every 25 ms until `done(status)`; ms from `since`. */
  const { apiClients } = await import('../src/backends/shared/kube-access.ts');
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(join(work, 'cluster', 'kind', 'kubeconfig'));
  const admin = apiClients(kubeConfig);
  const containerStatus = async (namespace) => {
    const pods = await admin.core.listNamespacedPod({ namespace, labelSelector: 'app=timing,component=jobmanager' });
    const pod = pods.items.find((candidate) => candidate.metadata?.deletionTimestamp === undefined);
    return pod?.status?.containerStatuses?.find((status) => status.name === 'flink-main-container');
  };

  const restarts = [];
  for (let i = 0; i < 3; i++) {
    const session = await backend.open(idle, options());
    const namespace = session.appNamespace;
    const before = (await containerStatus(namespace)).restartCount;
    const kill = performance.now();
    // the process's exit: the stub's control endpoint (NodePort 30082) stops answering
    let exited;
    const watchExit = (async () => {
      while (exited === undefined && performance.now() - kill < 30_000) {
        const up = await fetch('http://127.0.0.1:30082/statuschaos/state', { signal: AbortSignal.timeout(200) }).then(() => true, () => false);
        if (!up) exited = performance.now() - kill;
        else await sleep(10);
      }
    })();
    const perform = session.perform({ id: 'restart', action: 'restart-jobmanager', atMs: 0, downtimeMs: 0 });
    const at = {};
    while (at.ready === undefined && performance.now() - kill < 60_000) {
      const status = await containerStatus(namespace);
      const t = performance.now() - kill;
      if (status?.state?.terminated || status?.state?.waiting || !status?.ready || (status?.restartCount ?? 0) > before) at.notRunning ??= t;
      if ((status?.restartCount ?? 0) > before && status?.state?.running) at.running ??= t;
      if (at.running !== undefined && status?.ready) at.ready = t;
      await sleep(25);
    }
    await perform;
    await watchExit;
    // from the process's exit (what the simulation's restart time stands for); the exec before it is the harness's
    restarts.push({ exec: exited, ...Object.fromEntries(Object.entries(at).map(([key, t]) => [key, t - exited])) });
    await session.close();
  }
  const figures = (key) => `median ${seconds(median(restarts.map((run) => run[key])))} s (${restarts.map((run) => seconds(run[key])).join(', ')})`;
  console.log(`kubelet restart: \`kubectl exec … kill 1\` until the process is gone ${figures('exec')}; from its exit: the API shows the container not ready ${figures('notRunning')}, running again with restartCount + 1 ${figures('running')}, ready (the stub serves at once) ${figures('ready')}`);

  // the crash loop: the restart times the kubelet chooses
  const crashes = Number(argv['crash-restarts'] ?? 4);
  const session = await backend.open(idle, options());
  const namespace = session.appNamespace;
  const start = performance.now();
  await session.perform({ id: 'loop', action: 'crash-loop-jobmanager', atMs: 0 });
  const seen = [];
  let last = (await containerStatus(namespace)).restartCount;
  while (seen.length < crashes && performance.now() - start < 400_000) {
    const status = await containerStatus(namespace);
    if ((status?.restartCount ?? 0) > last) {
      last = status.restartCount;
      seen.push({ t: performance.now() - start, waiting: status.state?.waiting?.reason });
    }
    await sleep(100);
  }
  await session.close();
  const gaps = seen.map((entry, index) => entry.t - (index === 0 ? 0 : seen[index - 1].t));
  console.log(`kubelet crash loop: restarts at ${seen.map((entry) => `${seconds(entry.t)} s`).join(', ')} after the first crash; gaps ${gaps.map((gap) => `${seconds(gap)} s`).join(', ')}`);

  // a scenario's wall time ÷ its schedule
  const [scenario] = await loadScenarios([argv.scenario ?? new URL('../scenarios/incident-3618.yaml', import.meta.url).pathname]);
  const outDir = join(work, 'scenario');
  const scenarioBegan = performance.now();
  // the run ends with the backend's shutdown: the cluster is deleted then (the backend reports through the first session's progress)
  await runAndStore({ backend, scenarios: [scenario], variants: modelNames(), seed: 1, repeat: 1, profile: 'fast', outDir, workDir: outDir, onProgress: () => {} });
  const deleting = progress.find(({ message }) => message.startsWith('deleting kind cluster'));
  if (deleting !== undefined) console.log(`kind: cluster deleted and cleaned up in ${((performance.now() - deleting.t) / 1000).toFixed(1)} s`);
  const record = await readRunRecord(outDir);
  const run = record.scenarios[0];
  const scheduled = (scenario.durationMs * PROFILE_SCALE.fast) / 1000;
  const wall = (performance.now() - scenarioBegan) / 1000;
  console.log(`kind, 6 variants, fast timing: ${scenario.name} scheduled ${scheduled.toFixed(1)} s, ran ${(run.phases.runMs / 1000).toFixed(1)} s (ratio ${(run.phases.runMs / 1000 / scheduled).toFixed(3)}); setup ${(run.phases.setupMs / 1000).toFixed(1)} s, teardown ${(run.phases.teardownMs / 1000).toFixed(1)} s; wall ÷ scheduled ${(wall / scheduled).toFixed(2)} (with the cluster's deletion); verdicts ${record.results.map((result) => `${result.variant} ${result.verdict}${result.verdict === 'pass' ? '' : ` (${result.failures.join('; ')})`}`).join(', ')}`);
} finally {
  await backend.shutdown(); // after a failure; a second call does nothing
  const said = await engine.release();
  if (said) console.log(said);
  await rm(work, { recursive: true, force: true });
}
