// Issue 19, problems 1 and 2: blindness is measured (calls made with a tracker's own timeouts
// fail), not assumed from a toxic being there; and a console restart does not restart the
// detection clock for a JobManager Kubernetes keeps showing down. Each scenario below passed every
// oracle before and must not now; each bound has a tracker just inside (passes) and just outside.
import { describe, expect, test } from 'vitest';
import { ALL_ORACLES, checkOracles } from '../../src/check/oracles.ts';
import { restartLagMs } from '../../src/scenario/kubelet-timing.ts';
import { handConsole, simRun, withConsole } from '../support/sim-run.ts';

const oracles = (run: Parameters<typeof checkOracles>[0], variant: string, app: string) => checkOracles(run, variant, app, ALL_ORACLES).map((violation) => `${violation.oracle}: ${violation.signature}`);

describe('a session job fails while Flink answers every call 6 s late', () => {
  // latency, nothing dropped: StreamPark's 60 s response timeout gets every answer, ours (a poll, 5 s) none
  const yaml = `name: slow-rest-failure
app: { clusterId: flink-demo, mode: session, jobs: [orders, payments] }
duration: 5m
timeline:
  - { at: 10s, fault: { target: flink-rest, toxic: latency, latency: 6s }, for: 4m }
  - { at: 20s, action: fail-job, job: orders }
`;
  const keepsRunning = (run: Awaited<ReturnType<typeof simRun>>, like: string) => handConsole(run, like, { orders: [[0, 'RUNNING'], [190_000, 'FAILED']], payments: [[0, 'RUNNING']] });

  test('v2.1.4 shows FAILED within seconds, as its calls get answers', async () => {
    const run = await simRun(yaml, ['v2.1.4']);
    expect(run.lanes.variants['v2.1.4']!.writes.find((write) => write.app === 'orders' && write.state === 'FAILED')!.t).toBeLessThan(40_000);
    expect(oracles(run, 'v2.1.4', 'orders').filter((line) => /^(truthful|detects)/.test(line))).toEqual([]);
  });

  test('a console with StreamPark\'s timeouts that keeps RUNNING until 190 s breaks truthful and detects: Flink told it all along', async () => {
    const run = await simRun(yaml, ['v2.1.4']);
    expect(oracles(withConsole(run, 'late', keepsRunning(run, 'v2.1.4')), 'late', 'orders')).toEqual(expect.arrayContaining(['truthful: RUNNING while FAILED', 'detects: RUNNING for FAILED']));
  });

  test('with our timeouts Flink is blind to it — but the Kubernetes API answers, so a RUNNING kept from before is a stale claim: truthful', async () => {
    const run = await simRun(yaml, ['proposed']);
    expect(oracles(withConsole(run, 'late', keepsRunning(run, 'proposed')), 'late', 'orders')).toContain('truthful: RUNNING while FAILED');
    expect(oracles(run, 'proposed', 'orders')).toEqual([]); // ours says SILENT, then FAILED once Flink answers in time
  });
});

describe('a tracker whose REST response timeout is its connect timeout', () => {
  // Flink answers in 3 s, inside our 5 s response timeout but not a 1.5 s one: that tracker sees nothing
  const yaml = `name: slow-rest
app: { clusterId: flink-demo, mode: application }
duration: 5m
timeline:
  - { at: 10s, fault: { target: flink-rest, toxic: latency, latency: 3s }, for: 4m }
`;
  test('SILENT while Flink answers with the job RUNNING breaks informative; our tracker holds it', async () => {
    const run = await simRun(yaml, ['proposed']);
    const silent = handConsole(run, 'proposed', { 'flink-demo': [[0, 'RUNNING'], [15_000, 'SILENT'], [251_000, 'RUNNING']] });
    expect(oracles(withConsole(run, 'deaf', silent), 'deaf', 'flink-demo')).toContain('informative: SILENT while Flink answered RUNNING');
    expect(oracles(run, 'proposed', 'flink-demo')).toEqual([]);
  });

  test('the bound is 3 polls: SILENT for 15 s while Flink answers passes, a millisecond more does not', async () => {
    const run = await simRun(yaml, ['proposed']);
    const silentFor = (ms: number) => withConsole(run, 'blip', handConsole(run, 'proposed', { 'flink-demo': [[0, 'RUNNING'], [100_000, 'SILENT'], [100_000 + ms, 'RUNNING']] }));
    expect(checkOracles(silentFor(15_000), 'blip', 'flink-demo', [{ name: 'informative' }])).toEqual([]);
    expect(checkOracles(silentFor(15_001), 'blip', 'flink-demo', [{ name: 'informative' }])).toMatchObject([{ signature: 'SILENT while Flink answered RUNNING' }]);
  });
});

describe('a JobManager crash-looping while the console restarts every 95 s', () => {
  const yaml = `name: crash-loop-console-restarts
app: { clusterId: flink-demo, mode: application }
duration: 8m
timeline:
  - { at: 10s, action: crash-loop-jobmanager }
  - { at: 95s, action: restart-tracker, downtime: 5s }
  - { at: 190s, action: restart-tracker, downtime: 5s }
  - { at: 285s, action: restart-tracker, downtime: 5s }
  - { at: 380s, action: restart-tracker, downtime: 5s }
`;
  // down from 10 s (it never comes back); the kubelet reports the crash 1.7 s later (kubelet-timing.ts: the pod looked ready till
  // then, so nobody could see it), then CrashLoopBackOff, not ready, to every console: its deadline is 10 s + 1.7 s + 24 polls +
  // the 5 s the console was down inside them = 136.7 s, however often the console restarts (it was 415 s)
  const lostAt = async (t: number) => {
    const run = await simRun(yaml, ['proposed']);
    return checkOracles(withConsole(run, 'x', handConsole(run, 'proposed', { 'flink-demo': [[0, 'RUNNING'], [15_000, 'SILENT'], [t, 'LOST']] }, [[t, 'flink-demo', 'LOST']])), 'x', 'flink-demo', [{ name: 'detects' }]);
  };

  test('LOST at 300 s is too late: the restarts do not postpone the deadline', async () => {
    expect(await lostAt(300_000)).toMatchObject([{ oracle: 'detects', signature: 'SILENT for down' }]);
  });

  test('just inside the deadline passes, just outside does not', async () => {
    const deadline = 10_000 + restartLagMs() + 120_000 + 5_000;
    expect(await lostAt(deadline)).toEqual([]);
    expect(await lostAt(deadline + 1)).toMatchObject([{ signature: 'SILENT for down' }]);
  });

  test('our tracker counts the absence from when the pod stopped being ready, which a restarted console reads too', async () => {
    const run = await simRun(yaml, ['proposed']);
    expect(checkOracles(run, 'proposed', 'flink-demo', ALL_ORACLES)).toEqual([]);
    expect(run.lanes.variants.proposed!.writes.find((write) => write.state === 'LOST')!.t).toBeLessThanOrEqual(135_000);
  });
});
