// Issue 21 item 1: StreamPark's REST GET goes through httpclient5's fluent Executor, whose default
// DefaultHttpRequestRetryStrategy sends a 503 (or 429) again once, after 1 s (5.1.4
// DefaultHttpRequestRetryStrategy.java lines 160–162 and 198–233, HttpRequestRetryExec.java lines
// 137–159). The model asks its port for that retry; the simulation's port makes it on the virtual
// clock, so a poll that lands in Flink's leader election reads the job a second later.
import { describe, expect, test } from 'vitest';
import { SimNetwork } from '../../../src/backends/sim/network.ts';
import { simPorts } from '../../../src/backends/sim/ports.ts';
import { createRandom } from '../../../src/backends/sim/random.ts';
import { VirtualClock } from '../../../src/backends/sim/virtual-clock.ts';
import { SimWorld } from '../../../src/backends/sim/world.ts';
import { PortError } from '../../../src/models/ports.ts';
import { HTTPCLIENT5_STATUS_RETRY_INTERVAL_MS } from '../../../src/models/streampark/list-jobs.ts';
import type { ScenarioApp } from '../../../src/scenario/types.ts';
import { healthyWorld, runTracker } from '../../support/tracker-harness.ts';

describe('the REST GET asks for httpclient5’s status retry', () => {
  test('every StreamPark variant: the first call and the retry after a URL refresh both carry the 1 s interval', async () => {
    for (const variant of ['v2.1.3', 'v2.1.4']) {
      const run = await runTracker({ variant, script: healthyWorld({ fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'http', message: 'HTTP 503: leader election' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }) }), untilMs: 5_100 });
      const gets = run.calls.filter((call) => call.call === 'fetchJobsOverview');
      expect(gets.length).toBeGreaterThanOrEqual(3);
      for (const get of gets) expect(get.request.statusRetryIntervalMs).toBe(HTTPCLIENT5_STATUS_RETRY_INTERVAL_MS);
    }
    expect(HTTPCLIENT5_STATUS_RETRY_INTERVAL_MS).toBe(1_000);
  });

  test('the proposed tracker’s client does not wait on a status (its own design: the next poll is one interval away)', async () => {
    const run = await runTracker({ variant: 'proposed', script: healthyWorld(), untilMs: 5_100 });
    const gets = run.calls.filter((call) => call.call === 'fetchJobsOverview');
    expect(gets.length).toBeGreaterThan(0);
    for (const get of gets) expect(get.request.statusRetryIntervalMs).toBeUndefined();
  });
});

describe('the simulation’s REST port retries a 503 after the interval', () => {
  const haApp: ScenarioApp = {
    clusterId: 'flink-demo', namespace: 'default', mode: 'application', jobs: [{ name: 'flink-demo', jobId: 'j1' }],
    recovery: [{ state: 'unavailable', forMs: 1_500 }, { state: 'INITIALIZING', forMs: 500 }], archive: 'none', pods: [], ha: true, fixedJobId: true, shutdownDelayMs: 1_000,
  };

  async function getDuringElection(statusRetryIntervalMs: number | undefined) {
    const clock = new VirtualClock();
    const world = new SimWorld(haApp, clock, () => {});
    const ports = simPorts(world, new SimNetwork(clock, createRandom(1)), clock, createRandom(2));
    world.restartJobManager(2_000); // refused until 2 s, 503 until 3.5 s, INITIALIZING until 4 s
    let outcome: { at: number; value: unknown } | undefined;
    clock.setTimeout(() => {
      ports.fetchJobsOverview({ restUrl: 'http://flink-demo-rest.default:8081', connectTimeoutMs: 30_000, responseTimeoutMs: 60_000, ...(statusRetryIntervalMs === undefined ? {} : { statusRetryIntervalMs }) }).then(
        (overview) => (outcome = { at: clock.now(), value: overview?.jobs.map((job) => job.state) }),
        (error: PortError) => (outcome = { at: clock.now(), value: error.message }),
      );
    }, 2_600);
    await clock.runUntil(10_000);
    world.dispose();
    return outcome;
  }

  test('a GET at 2.6 s, in the election: with the 1 s interval it reads INITIALIZING at about 3.6 s', async () => {
    const outcome = await getDuringElection(1_000);
    expect(outcome?.value).toEqual(['INITIALIZING']);
    expect(outcome!.at).toBeGreaterThanOrEqual(3_600);
    expect(outcome!.at).toBeLessThan(3_610);
  });

  test('the same GET without the interval fails with the 503 at once', async () => {
    const outcome = await getDuringElection(undefined);
    expect(outcome?.value).toMatch(/HTTP 503/);
    expect(outcome!.at).toBeLessThan(2_610);
  });
});
