#!/usr/bin/env node
// Records what kubectl prints about a JobManager whose container restarts, on the local backend's
// real control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok), into
// test/fixtures/kubectl/: `kubectl get events -o json` and `kubectl get pods -o json` of the run's
// namespace after two restarts (OOMKilled at 5 s, Error at 25 s; 5 s away each), and when the
// harness asked for each (recorded.json). The evidence import's test reads them
// (test/reproduce/evidence.test.ts). Needs `npm run tools`; about 40 s.
// Usage: npm run record:kubectl [-- --out DIR]
import './pinned-node.mjs';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'test', 'fixtures', 'kubectl') } } });
const { createBackend } = await import('../src/backends/registry.ts');
const { builtOrPath } = await import('../src/backends/shared/tools-dir.ts');
const { parseScenario } = await import('../src/scenario/load.ts');

const scenario = parseScenario(
  `name: kubectl-restarts
duration: 40s
timeline:
  - { at: 5s, action: restart-jobmanager, downtime: 5s, reason: OOMKilled }
  - { at: 25s, action: restart-jobmanager, downtime: 5s, reason: Error }
`,
  'kubectl-restarts.yaml',
);
const workDir = await mkdtemp(join(tmpdir(), 'statuschaos-kubectl-'));
const backend = await createBackend('local', { env: process.env, workDir });
const progress = (message) => process.stderr.write(`record-kubectl: ${message}\n`);
// Ctrl-C or SIGTERM (a test's timeout) stops the recording and still removes what it started
const stop = new AbortController();
for (const name of ['SIGINT', 'SIGTERM']) process.once(name, () => stop.abort(new Error(`stopped by ${name}`)));
let session;
try {
  session = await backend.open(scenario, { seed: 1, timeScale: 1, runDir: join(workDir, 'run'), onTruth: () => {}, onProgress: progress, signal: stop.signal });
  const asked = [];
  for (const action of scenario.actions) {
    await session.runUntil(action.atMs);
    asked.push({ action: action.action, reason: action.reason, downtimeMs: action.downtimeMs, at: new Date().toISOString() });
    await session.perform(action);
    progress(`${action.action} (${action.reason}) at ${asked.at(-1).at}`);
  }
  await session.runUntil(scenario.durationMs);
  const kubectl = (...args) => execFileSync(builtOrPath('kubectl'), ['--kubeconfig', join(workDir, 'cluster', 'kubeconfig'), '-n', session.appNamespace, ...args, '-o', 'json'], { encoding: 'utf8' });
  const events = kubectl('get', 'events');
  const pods = kubectl('get', 'pods', '-l', `app=${scenario.app.clusterId},component=jobmanager`);
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, 'restart-events.json'), events);
  await writeFile(join(values.out, 'restart-pods.json'), pods);
  await writeFile(join(values.out, 'recorded.json'), `${JSON.stringify({ recordedWith: Object.fromEntries(Object.entries(session.metadata).filter(([key]) => key !== 'logs')), namespace: session.appNamespace, clusterId: scenario.app.clusterId, asked }, null, 1)}\n`);
  progress(`wrote ${join(values.out, 'restart-events.json')}, restart-pods.json and recorded.json`);
} finally {
  await session?.close();
  await backend.shutdown?.();
  await rm(workDir, { recursive: true, force: true });
}
