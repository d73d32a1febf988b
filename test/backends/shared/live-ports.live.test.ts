// The live REST port's response timeout through real Toxiproxy: a read timeout, as httpclient5's
// responseTimeout and the simulation have it. An answer that never pauses as long as the limit
// arrives however long it takes in all; an answer that does not start within it fails. (The
// Kubernetes API port keeps a deadline for the whole call: see live-ports.ts and docs/toxics.md.)
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BackendSession } from '../../../src/backends/backend.ts';
import { localBackend } from '../../../src/backends/local/backend.ts';
import { PortError, type TrackerPorts } from '../../../src/models/ports.ts';
import { parseScenario } from '../../../src/scenario/load.ts';
import type { ScheduledFault } from '../../../src/scenario/types.ts';
import type { FaultSpec } from '../../../src/scenario/toxics.ts';
import { missingTools } from '../../support/tools.ts';

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'kube-controller-manager', 'kube-scheduler', 'toxiproxy-server']);
const LIMIT = { connectTimeoutMs: 5_000, responseTimeoutMs: 800 };

describe.skipIf(missing !== undefined)('live ports: read timeouts through Toxiproxy', () => {
  let backend: ReturnType<typeof localBackend>;
  let session: BackendSession;
  let ports: TrackerPorts;
  let namespace: string;
  let faults = 0;

  beforeAll(async () => {
    backend = localBackend({ env: process.env, workDir: await mkdtemp(join(tmpdir(), 'statuschaos-read-timeouts-cluster-')) });
    const scenario = parseScenario('name: read-timeouts\nduration: 1m\n', 'read-timeouts.yaml');
    session = await backend.open(scenario, { seed: 1, timeScale: 1, runDir: await mkdtemp(join(tmpdir(), 'statuschaos-read-timeouts-')), onTruth: () => {}, onProgress: () => {} });
    ports = session.trackerPorts('test');
    namespace = session.appNamespace!;
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await backend.shutdown?.();
  });

  /** Run `call` with `spec` applied; what it gave and how long it took (wall ms). */
  async function through(spec: FaultSpec, call: () => Promise<unknown>): Promise<{ outcome: string; ms: number }> {
    const fault: ScheduledFault = { id: `fault-${++faults}`, atMs: 0, untilMs: undefined, spec, name: spec.toxic, line: undefined };
    await session.applyFault(fault);
    const started = performance.now();
    try {
      await call();
      return { outcome: 'ok', ms: performance.now() - started };
    } catch (error) {
      return { outcome: error instanceof PortError ? error.kind : String(error), ms: performance.now() - started };
    } finally {
      await session.removeFault(fault);
    }
  }

  const slicer = (target: FaultSpec['target'], averageSize: number, delayUs: number): FaultSpec => ({ target, toxic: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: averageSize, size_variation: 0, delay: delayUs } });
  const latency = (target: FaultSpec['target'], ms: number): FaultSpec => ({ target, toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: ms, jitter: 0 } });
  const listDeployments = () => ports.listFlinkDeployments({ namespace, ...LIMIT });
  const overview = () => ports.fetchJobsOverview({ restUrl: session.restEndpoint(), ...LIMIT });

  test('Flink REST: an answer sliced into pieces 40 ms apart arrives after longer than the 800 ms limit', { timeout: 30_000 }, async () => {
    const result = await through(slicer('flink-rest', 10, 40_000), overview);
    expect(result.outcome).toBe('ok');
    expect(result.ms).toBeGreaterThan(LIMIT.responseTimeoutMs);
  });

  test.for([
    ['Kubernetes API', 'apiserver', listDeployments] as const,
    ['Flink REST', 'flink-rest', overview] as const,
  ])('%s: an answer that starts after the limit is a timeout at the limit', { timeout: 30_000 }, async ([, target, call]) => {
    const result = await through(latency(target, 3_000), () => call());
    expect(result.outcome).toBe('timeout');
    expect(result.ms).toBeGreaterThanOrEqual(LIMIT.responseTimeoutMs - 50);
    expect(result.ms).toBeLessThan(2_500);
  });
});
