#!/usr/bin/env node
// Records what a real Flink JobManager answers on the trackers' path (`npm run record:flink`;
// needs `npm run tools`), into test/fixtures/flink/<case>.json: /jobs/overview polled every
// 25 ms from start, through a JobManager restart and its recovery, after cancel (the trackers'
// PATCH /jobs/<jid>?mode=cancel), fail and finish, with and without HA; plus /overview, /config,
// /jobs, /jobs/<jid>, the cancel answers (of a running job, an unknown one, one that failed or
// finished), and /config and the 503's headers while the JobManager waits for its leadership. The unit test test/backends/flink/conformance.test.ts holds the REST
// stub and the simulation's defaults to these files. Uses the backend's own process code
// (src/backends/local/flink/), so the clusters are started exactly as `--flink real` starts them.
// Usage: npm run record:flink [-- --case restart-nonha]
import './pinned-node.mjs'; // first: on Node < 22.18 the script runs again with the pinned Node 22
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { argv } from 'zx';

const { loadFlinkInstall } = await import('../src/backends/local/flink/flink-install.ts');
const { FlinkProcesses } = await import('../src/backends/local/flink/flink-processes.ts');
const { clusterPaths } = await import('../src/backends/local/flink/flink-commands.ts');
const { fullyRunning } = await import('../src/backends/local/flink/flink-rest.ts');
const { freeLocalPort } = await import('../src/backends/shared/toxiproxy/free-port.ts');

const POLL_MS = 25;
/** Longer than the TaskManager heartbeat timeout (10 s), as in the library's 30 s restarts. */
const RESTART_DOWNTIME_MS = 12_000;
const OUT = new URL('../test/fixtures/flink/', import.meta.url).pathname;
const CASES = {
  start: { ha: false, action: 'none' },
  'restart-nonha': { ha: false, action: 'restart' },
  'restart-ha': { ha: true, action: 'restart' },
  'cancel-nonha': { ha: false, action: 'cancel' },
  'cancel-ha': { ha: true, action: 'cancel' },
  'fail-nonha': { ha: false, action: 'fail' },
  'fail-ha': { ha: true, action: 'fail' },
  'finish-nonha': { ha: false, action: 'finish' },
  'finish-ha': { ha: true, action: 'finish' },
};

const install = loadFlinkInstall(process.env);

/** One HTTP call to the JobManager: status and parsed body (and the headers, with `withHeaders`), or how it failed. */
async function call(port, path, method = 'GET', withHeaders = false) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, signal: AbortSignal.timeout(2_000) });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, ...(withHeaders ? { headers: Object.fromEntries(response.headers) } : {}), body };
  } catch (error) {
    return { error: error.cause?.code ?? error.name };
  }
}

/** The part of an answer that makes it different from the last one: outcome, ids, states, non-zero task counts. */
function signature(answer) {
  if (answer.error) return answer.error;
  if (answer.status !== 200) return `HTTP ${answer.status}`;
  return JSON.stringify((answer.body.jobs ?? []).map((job) => [job.jid, job.state, Object.entries(job.tasks ?? {}).filter(([key, n]) => n > 0 && key !== 'total')]));
}

async function recordCase(name, { ha, action }) {
  const dir = await mkdtemp(join(tmpdir(), `statuschaos-record-${name}-`));
  const layout = { dir, logsDir: join(dir, 'logs'), restPort: await freeLocalPort(), rpcPort: await freeLocalPort(), zooKeeperPort: ha ? await freeLocalPort() : undefined, jobName: 'flink-demo', clusterId: 'statuschaos-fixtures' };
  const events = [];
  let origin = performance.now();
  const now = () => Math.round(performance.now() - origin);
  const processes = new FlinkProcesses(install, layout, process.env, (exit) => events.push({ tMs: now(), event: `${exit.role} exited`, code: exit.code ?? null, signal: exit.signal ?? null }));
  const timeline = [];
  const snapshots = {};
  let last;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const answer = processes.isRunning('jobmanager') || action === 'none' ? await call(layout.restPort, '/jobs/overview', 'GET', true) : { error: 'ECONNREFUSED' };
      if (answer.status === 503 && snapshots['GET /config during leader election'] === undefined) {
        // while the JobManager waits for its leadership every REST handler is leader-gated
        // (LeaderRetrievalHandler): kept only when the overview still says 503 after /config, so
        // that /config was asked inside the election (a short one may end in between)
        const config = await call(layout.restPort, '/config', 'GET', true);
        if ((await call(layout.restPort, '/jobs/overview')).status === 503) {
          snapshots['GET /jobs/overview during leader election'] = { ...answer };
          snapshots['GET /config during leader election'] = config;
        }
      }
      delete answer.headers;
      const sig = signature(answer);
      if (sig !== last) {
        timeline.push({ tMs: now(), ...answer });
        last = sig;
      }
      await sleep(POLL_MS);
    }
  })();
  const waitFor = async (what, predicate, timeoutMs = 120_000) => {
    const deadline = performance.now() + timeoutMs;
    while (!(await predicate())) {
      if (performance.now() > deadline) throw new Error(`${name}: ${what} did not happen within ${timeoutMs / 1000} s (logs in ${layout.logsDir})`);
      await sleep(POLL_MS);
    }
  };
  const running = async () => {
    const answer = await call(layout.restPort, '/jobs/overview');
    return answer.status === 200 && answer.body.jobs.some(fullyRunning);
  };
  try {
    await processes.prepare();
    if (ha) processes.startZooKeeper();
    processes.startJobManager();
    events.push({ tMs: now(), event: 'jobmanager started' });
    processes.startTaskManager();
    await waitFor('the job running', running);
    events.push({ tMs: now(), event: 'all tasks running' });
    const jid = (await call(layout.restPort, '/jobs/overview')).body.jobs[0].jid;
    if (action !== 'none') {
      await sleep(1_000);
      // times count from the action from here on (negative: before it)
      const shift = now();
      origin += shift;
      for (const entry of [...timeline, ...events]) entry.tMs -= shift;
    }
    for (const path of ['/overview', '/config', '/jobs']) snapshots[`GET ${path}`] = await call(layout.restPort, path);
    snapshots['GET /jobs/<jid>'] = await call(layout.restPort, `/jobs/${jid}`);
    if (action === 'none') snapshots['GET /jobs/<unknown>'] = await call(layout.restPort, `/jobs/${'0'.repeat(32)}`);
    switch (action) {
      case 'none':
        snapshots['PATCH /jobs/<unknown>?mode=cancel'] = await call(layout.restPort, `/jobs/${'0'.repeat(32)}?mode=cancel`, 'PATCH');
        await sleep(1_000);
        break;
      case 'restart':
        events.push({ tMs: now(), event: 'jobmanager killed (SIGKILL)' });
        await processes.kill('jobmanager');
        await sleep(RESTART_DOWNTIME_MS);
        processes.startJobManager();
        events.push({ tMs: now(), event: 'jobmanager started' });
        await waitFor('the job running again', running);
        events.push({ tMs: now(), event: 'all tasks running' });
        snapshots['GET /jobs/<old jid>'] = await call(layout.restPort, `/jobs/${jid}`);
        await sleep(1_000);
        break;
      default: {
        events.push({ tMs: now(), event: action });
        if (action === 'cancel') snapshots['PATCH /jobs/<jid>?mode=cancel'] = await call(layout.restPort, `/jobs/${jid}?mode=cancel`, 'PATCH');
        else {
          await writeFile(join(clusterPaths(layout).triggers, action), 'now\n');
          // a cancel of the job that ended otherwise, before the cluster shuts down (Dispatcher.cancelJob: 409)
          const ended = action === 'fail' ? 'FAILED' : 'FINISHED';
          await waitFor(`the job ${ended}`, async () => (await call(layout.restPort, '/jobs/overview')).body?.jobs?.[0]?.state === ended, 60_000);
          snapshots[`PATCH /jobs/<jid>?mode=cancel after ${ended}`] = await call(layout.restPort, `/jobs/${jid}?mode=cancel`, 'PATCH');
        }
        await waitFor('the JobManager exit', async () => !processes.isRunning('jobmanager'), 60_000);
        await sleep(1_000);
      }
    }
  } finally {
    polling = false;
    await poller;
    await processes.stopAll();
  }
  // the history archive Flink wrote when the job ended: its overview entry and every state's timestamp
  let archive;
  const [archivedJid] = await readdir(clusterPaths(layout).archive);
  if (archivedJid !== undefined) {
    const entries = JSON.parse(await readFile(join(clusterPaths(layout).archive, archivedJid), 'utf8')).archive;
    const json = (path) => JSON.parse(entries.find((entry) => entry.path === path)?.json ?? 'null');
    archive = { jid: archivedJid, paths: entries.length, overview: json('/jobs/overview'), timestamps: json(`/jobs/${archivedJid}`)?.timestamps };
  }
  await rm(dir, { recursive: true, force: true });
  const fixture = { flink: install.version, case: name, ha, action, pollMs: POLL_MS, ...(action === 'restart' ? { downtimeMs: RESTART_DOWNTIME_MS } : {}), recordedAt: new Date().toISOString(), events, timeline, snapshots, ...(archive ? { archive } : {}) };
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, `${name}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
  const summary = timeline.map((entry) => `${(entry.tMs / 1000).toFixed(2)}s ${entry.error ?? (entry.status === 200 ? entry.body.jobs.map((job) => job.state).join(',') || '[]' : `HTTP ${entry.status}`)}`).join(' → ');
  console.log(`${name}: ${summary}`);
}

const only = argv.case ? [argv.case] : Object.keys(CASES);
for (const name of only) {
  if (!CASES[name]) throw new Error(`unknown case ${name}; cases: ${Object.keys(CASES).join(', ')}`);
  await recordCase(name, CASES[name]);
}
