#!/usr/bin/env node
// Measures what the real kube-apiserver answers while the path to etcd is faulted (needs
// `npm run tools`): starts the local control plane (kube-apiserver reaches etcd through the
// control plane's Toxiproxy proxy `etcd`), puts one toxic at a time on that proxy, and makes every
// kind of call the trackers and the harness make — GET of an object, GET of a missing one, LIST
// with a label selector, a new watch, a write, /version — over new connections, timing each
// answer. Also: whether a watch opened before the fault ends, and how long after the heal the API
// answers again. Writes test/fixtures/etcd-faults/measured.json (the sim's etcd model is checked
// against it: test/backends/sim/etcd.test.ts).
// Usage: npm run measure:etcd-faults [-- --only down,timeout --out FILE]
import './pinned-node.mjs'; // first: on Node < 22.18 the script runs again with the pinned Node 22
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv } from 'zx';

const { startControlPlane } = await import('../src/backends/local/control-plane/index.ts');
const { apiClients, tokenKubeConfig } = await import('../src/backends/shared/kube-access.ts');
const { toxicRequest } = await import('../src/backends/shared/toxiproxy/toxic-request.ts');
const { defaultAttributes } = await import('../src/scenario/toxics.ts');
const { MEASURED_ETCD_FAULTS } = await import('../src/backends/sim/etcd.ts');

/** a client gives up after this long (longer than kube-apiserver's own 60 s request timeout) */
const CLIENT_TIMEOUT_MS = 75_000;
/** rounds of calls start this long after the toxic is in place (they run side by side) */
const ROUNDS_MS = [500, 20_000, 45_000];
/** how long each of these faults lasts before its heal, for the recovery measurement */
const RECOVERY_OUTAGES_MS = [1_500, 5_000, 15_000];
const NAMESPACE = 'etcd-faults';
const NAME = 'flink-demo';

const only = typeof argv.only === 'string' ? argv.only.split(',') : undefined;
const out = argv.out ?? new URL('../test/fixtures/etcd-faults/measured.json', import.meta.url).pathname;
const faults = MEASURED_ETCD_FAULTS.filter((fault) => only === undefined || only.includes(fault.id));

const work = await mkdtemp(join(tmpdir(), 'statuschaos-etcd-faults-'));
const plane = await startControlPlane({ runDir: work, onProgress: (message) => console.error(`  ${message}`) });
try {
  const admin = apiClients(tokenKubeConfig(plane));
  await admin.core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  const labels = { app: NAME, type: 'flink-native-kubernetes', component: 'jobmanager' };
  await admin.apps.createNamespacedDeployment({
    namespace: NAMESPACE,
    body: { metadata: { name: NAME, labels }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'flink-main-container', image: 'flink:1.15.3' }] } } } },
  });
  await admin.core.createNamespacedService({ namespace: NAMESPACE, body: { metadata: { name: `${NAME}-rest`, labels }, spec: { selector: labels, ports: [{ name: 'rest', port: 8081 }] } } });

  const calls = {
    getDeployment: { method: 'GET', path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${NAME}` },
    getService: { method: 'GET', path: `/api/v1/namespaces/${NAMESPACE}/services/${NAME}-rest` },
    getMissing: { method: 'GET', path: `/apis/networking.k8s.io/v1/namespaces/${NAMESPACE}/ingresses/${NAME}` },
    listDeployments: { method: 'GET', path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments?labelSelector=type%3Dflink-native-kubernetes` },
    listPods: { method: 'GET', path: `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app%3D${NAME}` },
    watchPods: { method: 'GET', path: `/api/v1/namespaces/${NAMESPACE}/pods?watch=true&labelSelector=app%3D${NAME}`, watch: true },
    patchDeployment: { method: 'PATCH', path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${NAME}`, body: () => JSON.stringify({ metadata: { annotations: { 'statuschaos.io/probe': String(Date.now()) } } }), contentType: 'application/merge-patch+json' },
    version: { method: 'GET', path: '/version' },
  };
  const healthy = await round(calls);
  console.error(`healthy: ${summary(healthy)}`);

  const results = [];
  for (const fault of faults) {
    console.error(`${fault.id}: ${fault.description}`);
    const stopWatch = new AbortController();
    const openWatch = startCall(calls.watchPods, { keepOpenMs: 10 * CLIENT_TIMEOUT_MS, signal: stopWatch.signal });
    await sleep(300);
    const appliedAt = performance.now();
    const remove = await applyEtcdFault(plane.etcdProxy, fault);
    const rounds = await Promise.all(
      ROUNDS_MS.map(async (at) => {
        await sleep(at);
        const calls_ = await round(calls);
        console.error(`  at +${at} ms: ${summary(calls_)}`);
        return { at, calls: calls_ };
      }),
    );
    const removedAt = performance.now();
    stopWatch.abort();
    await remove();
    const recoveredAfterMs = await recovery(calls.getDeployment);
    const watch = await openWatch;
    console.error(`  recovered ${recoveredAfterMs} ms after the heal; open watch: ${watch.endedAtMs === undefined ? 'still open' : `ended ${Math.round(watch.endedAtMs - (appliedAt - watch.startedAt))} ms into the fault`}`);
    results.push({
      id: fault.id,
      fault: fault.spec,
      rounds,
      recoveredAfterMs,
      openWatch: { endedIntoFaultMs: watch.endedAtMs === undefined || watch.endedAt > removedAt ? null : Math.round(watch.endedAt - appliedAt), error: watch.error ?? null },
    });
    await sleep(2_000);
  }
  // How long the API takes to answer again after a fault of a given length heals.
  const recoveries = [];
  for (const fault of faults.filter((candidate) => candidate.measureRecovery)) {
    for (const outageMs of RECOVERY_OUTAGES_MS) {
      const remove = await applyEtcdFault(plane.etcdProxy, fault);
      await sleep(outageMs);
      await remove();
      const recoveredAfterMs = await recovery(calls.getDeployment);
      console.error(`${fault.id} for ${outageMs} ms: recovered ${recoveredAfterMs} ms after the heal`);
      recoveries.push({ id: fault.id, outageMs, recoveredAfterMs });
      await sleep(2_000);
    }
  }
  const record = {
    measuredAt: new Date().toISOString(),
    versions: plane.versions,
    how: 'scripts/measure-etcd-faults.mjs: one toxic at a time on the etcd proxy; every call on a new HTTPS connection with a 75 s client timeout; rounds of all calls start 0.5 s, 20 s and 45 s after the toxic is in place; a new watch counts as answered when its headers arrive; recoveredAfterMs: from the heal until a GET answers 200; times in wall ms (time scale 1)',
    healthy,
    results,
    recoveries,
  };
  await writeFile(out, `${JSON.stringify(record, null, 2)}\n`);
  console.error(`wrote ${out}`);

  /** every call at once, each on its own connection */
  async function round(table) {
    const entries = await Promise.all(Object.entries(table).map(async ([name, call]) => [name, await startCall(call, { keepOpenMs: CLIENT_TIMEOUT_MS, closeOnHeaders: true })]));
    return Object.fromEntries(entries.map(([name, result]) => [name, { status: result.status, ms: result.ms, reason: result.reason, message: result.message, ...(result.error ? { error: result.error } : {}) }]));
  }

  /** one call; for a watch, the status is when the headers arrive, and `keepOpenMs` later it is closed (or how it ended) */
  function startCall(call, { keepOpenMs, closeOnHeaders = false, signal }) {
    return new Promise((resolve) => {
      const startedAt = performance.now();
      const result = { startedAt, status: null, ms: null, reason: null, message: null, error: null, endedAtMs: undefined, endedAt: undefined };
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(result);
      };
      const body = call.body?.();
      const req = request(`${plane.server}${call.path}`, {
        method: call.method,
        ca: plane.caData,
        agent: false,
        headers: { authorization: `Bearer ${plane.token}`, accept: 'application/json', connection: 'close', ...(body ? { 'content-type': call.contentType, 'content-length': Buffer.byteLength(body) } : {}) },
      });
      const timer = setTimeout(() => {
        if (result.status === null) result.error = `no answer within ${call.watch ? keepOpenMs : CLIENT_TIMEOUT_MS} ms`;
        req.destroy();
        finish();
      }, call.watch ? keepOpenMs : CLIENT_TIMEOUT_MS);
      req.on('error', (error) => {
        if (result.status === null && result.error === null) {
          result.error = `${error.code ?? ''} ${error.message}`.trim();
          result.ms = Math.round(performance.now() - startedAt);
        }
        finish();
      });
      req.on('response', (response) => {
        result.status = response.statusCode;
        result.ms = Math.round(performance.now() - startedAt);
        if (call.watch && closeOnHeaders && response.statusCode === 200) {
          req.destroy();
          finish();
          return;
        }
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          if (!call.watch || response.statusCode !== 200) text += chunk;
        });
        response.on('end', () => {
          result.endedAt = performance.now();
          result.endedAtMs = result.endedAt - startedAt;
          if (response.statusCode !== 200 || !call.watch) {
            try {
              const parsed = JSON.parse(text);
              result.reason = parsed.reason ?? null;
              result.message = parsed.message ?? null;
            } catch {
              result.message = text.slice(0, 200) || null;
            }
          }
          finish();
        });
      });
      signal?.addEventListener('abort', () => {
        req.destroy();
        finish();
      });
      if (body) req.write(body);
      req.end();
    });
  }

  async function recovery(call) {
    const began = performance.now();
    for (;;) {
      const result = await startCall(call, { keepOpenMs: 0 });
      if (result.status === 200) return Math.round(performance.now() - began);
      if (performance.now() - began > 180_000) return null;
      await sleep(100);
    }
  }
} finally {
  await plane.stop();
  await rm(work, { recursive: true, force: true });
}

/** put one fault on the etcd proxy through Toxiproxy's API; resolves with its removal */
async function applyEtcdFault(proxy, fault) {
  const api = (path, method, body) =>
    fetch(`${proxy.apiUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }).then(async (response) => {
      if (!response.ok) throw new Error(`toxiproxy ${method} ${path}: ${response.status} ${await response.text()}`);
    });
  if (fault.spec.toxic === 'down') {
    await api(`/proxies/${proxy.name}`, 'POST', { enabled: false });
    return () => api(`/proxies/${proxy.name}`, 'POST', { enabled: true });
  }
  const toxic = toxicRequest({ ...fault.spec, attributes: { ...defaultAttributes(fault.spec.toxic), ...fault.spec.attributes } }, 'measure', 1);
  await api(`/proxies/${proxy.name}/toxics`, 'POST', toxic);
  return () => api(`/proxies/${proxy.name}/toxics/measure`, 'DELETE');
}

function summary(results) {
  return Object.entries(results)
    .map(([name, r]) => `${name} ${r.status ?? r.error} ${r.ms ?? '-'}ms`)
    .join(', ');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
