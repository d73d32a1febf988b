// The proposed tracker as a machine, on scripted ports: each promise of docs/proposed-tracker.md
// ("The promises") against a world that makes it matter.
import { describe, expect, test } from 'vitest';
import type { PodView } from '../../../src/models/ports.ts';
import { appRow, CLUSTER, healthyWorld, JOB_ID, runTracker } from '../../support/tracker-harness.ts';

const overview = (state: string, jid = JOB_ID) => ({ ok: { jobs: [{ jid, name: 'j', state }] } });
const refusedFrom = (from: number) => (now: number) => (now >= from ? { fail: 'refused' as const } : overview('RUNNING'));
const jobManager = (overrides: Partial<PodView['containers'][number]> = {}, pod: Partial<PodView> = {}): PodView[] => [
  { name: 'jm-1', phase: 'Running', containers: [{ name: 'flink-main-container', restartCount: 0, ready: true, ...overrides }], ...pod },
];

const apiAndRestDown = (from: number, to: number) => {
  const down = (now: number) => now >= from && now < to;
  return healthyWorld({
    fetchJobsOverview: (now) => (down(now) ? { fail: 'timeout', latencyMs: 3_000 } : overview('RUNNING')),
    listFlinkDeployments: (now) => (down(now) ? { fail: 'refused' } : { ok: [CLUSTER.clusterId] }),
  });
};

describe('proposed tracker', () => {
  test('a blip shows SILENT from the first observation that learns nothing, then RUNNING within one interval of the heal', async () => {
    const short = await runTracker({ variant: 'proposed', enforceTimeouts: true, script: apiAndRestDown(10_000, 12_000), untilMs: 60_000 });
    expect(short.trace()).toEqual(['RUNNING', 'SILENT', 'RUNNING']);
    expect(short.writes.find((write) => write.state === 'SILENT')!.t).toBeLessThanOrEqual(10_000 + 3_100); // the 10 s poll's REST call times out after 3 s
    const long = await runTracker({ variant: 'proposed', enforceTimeouts: true, script: apiAndRestDown(10_000, 60_000), untilMs: 120_000 });
    expect(long.trace()).toEqual(['RUNNING', 'SILENT', 'RUNNING']);
    expect(long.writes.at(-1)!.t - 60_000).toBeLessThanOrEqual(5_000 + 100);
    expect(long.alerts).toEqual([]);
  });

  test('a hung call cannot delay convergence: every interval starts a fresh observation', async () => {
    const hung = healthyWorld({ fetchJobsOverview: (now) => (now >= 10_000 && now < 40_000 ? { fail: 'timeout', latencyMs: 120_000 } : overview('RUNNING')), listFlinkDeployments: (now) => (now >= 10_000 && now < 40_000 ? { fail: 'timeout', latencyMs: 120_000 } : { ok: ['flink-demo'] }) });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script: hung, untilMs: 90_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'RUNNING']);
    expect(run.writes.at(-1)!.t).toBeLessThanOrEqual(45_100);
  });

  test('blind for 20 minutes: SILENT, never an end state or an alert (nothing was observed), RUNNING when Flink answers', async () => {
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script: apiAndRestDown(10_000, 1_210_000), untilMs: 1_230_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'RUNNING']);
    expect(run.alerts).toEqual([]);
  });

  test('Flink reporting FAILED is evidence: FAILED, alerted; tracking continues while the deployment exists', async () => {
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script: healthyWorld({ fetchJobsOverview: (now) => overview(now >= 10_000 ? 'FAILED' : 'RUNNING') }), untilMs: 30_000 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED']);
    expect(run.alerts.map((alert) => alert.state)).toEqual(['FAILED']);
    expect(run.events.some((event) => event.type === 'tracking.stopped')).toBe(false);
  });

  test.for(['FINISHED', 'CANCELED'])('an end state Flink reported (%s) is kept when the deployment goes away and no archive exists', async (end) => {
    const script = healthyWorld({
      fetchJobsOverview: (now) => (now >= 20_000 ? { fail: 'refused' } : overview(now >= 10_000 ? end : 'RUNNING')),
      listFlinkDeployments: (now) => ({ ok: now >= 20_000 ? [] : [CLUSTER.clusterId] }),
      readHistoryArchive: () => ({ ok: undefined }),
    });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, untilMs: 40_000 });
    expect(run.trace()).toEqual(['RUNNING', end]);
    expect(run.writes.at(-1)).toMatchObject({ state: end, tracking: 0 });
    expect(run.alerts.map((alert) => alert.state)).toEqual([end]);
  });

  test('a JobManager in a crash loop (never ready, restarts growing, CrashLoopBackOff) is a real stop: LOST with an alert within 2 minutes, and no alert in its first 105 s', async () => {
    const crashedAt = 10_000;
    const script = healthyWorld({
      fetchJobsOverview: refusedFrom(crashedAt),
      getDeploymentPods: (now) => ({ ok: now < crashedAt ? jobManager() : jobManager({ ready: false, restartCount: 1 + Math.floor((now - crashedAt) / 20_000), waitingReason: 'CrashLoopBackOff', lastTerminated: { reason: 'Error', exitCode: 1 } }) }),
    });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, untilMs: 300_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'LOST']);
    const lost = run.writes.find((write) => write.state === 'LOST')!;
    expect(lost.t).toBeGreaterThanOrEqual(crashedAt + 105_000);
    expect(lost.t).toBeLessThanOrEqual(crashedAt + 120_000);
    expect(run.alerts).toEqual([{ t: lost.t, state: 'LOST' }]);
    expect(run.events.some((event) => event.type === 'tracking.stopped')).toBe(false); // it may still come back
  });

  test('a JobManager restart of 100 s is not a stop: SILENT, then RUNNING, no alert', async () => {
    const away = (now: number) => now >= 10_000 && now < 110_000;
    const script = healthyWorld({
      fetchJobsOverview: (now) => (away(now) ? { fail: 'refused' } : overview('RUNNING')),
      getDeploymentPods: (now) => ({ ok: jobManager({ ready: !away(now), restartCount: now >= 10_000 ? 1 : 0 }) }),
    });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, untilMs: 150_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'RUNNING']);
    expect(run.alerts).toEqual([]);
  });

  test.for([3_000, 3_500, 4_000, 4_900])('a slow but healthy REST endpoint (answers in %i ms at a 5 s interval) stays RUNNING', async (latencyMs) => {
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script: healthyWorld({ fetchJobsOverview: () => ({ ...overview('RUNNING'), latencyMs }) }), untilMs: 900_000 });
    expect(run.trace()).toEqual(['RUNNING']);
    expect(run.alerts).toEqual([]);
  });

  test('the REST URL is read again after a failure: a JobManager reachable at a new address is followed within two polls', async () => {
    const moved = 30_000;
    const script = healthyWorld({
      lookupRestService: (now) => ({ ok: now >= moved ? 'http://new:8081' : 'http://old:8081' }),
      fetchJobsOverview: (_now, request) => (request.restUrl === 'http://new:8081' || _now < moved ? overview('RUNNING') : { fail: 'refused' }),
      getDeploymentPods: () => ({ ok: jobManager() }),
    });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, untilMs: 120_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'RUNNING']); // the poll that failed on the old address learned nothing
    expect(run.writes.at(-1)!.t).toBeLessThanOrEqual(moved + 10_100);
    const lookups = run.calls.filter((call) => call.call === 'lookupRestService').map((call) => call.at);
    expect(lookups[0]).toBe(0);
    expect(lookups.filter((at) => at >= moved).length).toBeGreaterThanOrEqual(1);
    const firstOkOnNew = run.calls.find((call) => call.call === 'fetchJobsOverview' && call.request.restUrl === 'http://new:8081' && call.outcome === 'ok')!;
    expect(firstOkOnNew.at).toBeLessThanOrEqual(moved + 10_000);
  });

  test('the job id is followed: a cluster restarted without HA runs the job under a new id, and its later FAILED shows', async () => {
    const script = healthyWorld({
      fetchJobsOverview: (now) => (now < 30_000 ? overview('RUNNING') : overview(now >= 60_000 ? 'FAILED' : 'RUNNING', 'new-job-id')),
      readHistoryArchive: (_now, request) => ({ ok: request.jobId === 'new-job-id' ? 'FAILED' : undefined }),
    });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, untilMs: 90_000 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED']);
    expect(run.writes.find((write) => write.state === 'FAILED')!.t).toBeLessThanOrEqual(65_100);
  });

  test.for([
    ['an evicted pod listed first beside a ready replacement', [{ name: 'evicted', phase: 'Failed', containers: [] }, ...jobManager()]],
    ['a terminating old pod beside a Pending replacement', [...jobManager({}, { name: 'old', terminating: true, phase: 'Failed' }), { name: 'new', phase: 'Pending', containers: [{ name: 'c', restartCount: 0, ready: false }] }]],
  ] as const)('the pod that decides is chosen, not pods[0]: %s is no evidence of failure', async ([, pods]) => {
    const script = healthyWorld({ fetchJobsOverview: (now) => (now >= 10_000 && now < 60_000 ? { fail: 'refused' } : overview('RUNNING')), getDeploymentPods: () => ({ ok: pods }) });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, untilMs: 90_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'RUNNING']);
    expect(run.alerts).toEqual([]);
  });

  test('a job that vanished from its session cluster (Flink answers, without it) shows LOST with an alert within 80 s; the other job stays RUNNING', async () => {
    const rows = [appRow('orders', 'session', 'orders-id', 'session'), appRow('payments', 'session', 'payments-id', 'session')];
    const script = healthyWorld({
      fetchJobsOverview: (now) => ({ ok: { jobs: [...(now < 10_000 ? [{ jid: 'orders-id', name: 'orders', state: 'RUNNING' }] : []), { jid: 'payments-id', name: 'payments', state: 'RUNNING' }] } }),
      listFlinkDeployments: () => ({ ok: ['session'] }),
    });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, rows, untilMs: 120_000 });
    expect(run.trace('orders')).toEqual(['RUNNING', 'SILENT', 'LOST']);
    expect(run.trace('payments')).toEqual(['RUNNING']);
    const lost = run.writes.find((write) => write.appId === 'orders' && write.state === 'LOST')!;
    expect(lost.t).toBeLessThanOrEqual(10_000 + 80_000);
    expect(run.alerts).toEqual([{ t: lost.t, state: 'LOST' }]);
  });

  test('a CANCELED the user asked for raises no alert', async () => {
    const cancelledAt = 6_000;
    const script = healthyWorld({ fetchJobsOverview: (now) => overview(now < cancelledAt ? 'RUNNING' : now < cancelledAt + 1_000 ? 'CANCELLING' : 'CANCELED') });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, untilMs: 30_000, commands: [{ atMs: cancelledAt, command: { type: 'console.cancel', appId: 'app-1' } }] });
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'CANCELED']);
    expect(run.alerts).toEqual([]);
  });

  test('the cancel race: a poll that read Flink before the cancel reached it and answers after it does not write RUNNING back', async () => {
    // The cancel is asked 10 ms before a poll; the cancel call takes 20 ms (Flink cancels when it
    // ends, at 5 010 ms); the poll started at 5 000 ms reads RUNNING and answers at 5 030 ms.
    let cancelledAt = Number.POSITIVE_INFINITY;
    const script = healthyWorld({
      cancelJob: (now) => {
        cancelledAt = now + 20;
        return { ok: undefined, latencyMs: 20 };
      },
      fetchJobsOverview: (now) => ({ ...overview(now < cancelledAt ? 'RUNNING' : now < cancelledAt + 1_000 ? 'CANCELLING' : 'CANCELED'), latencyMs: 30 }),
    });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, untilMs: 30_000, commands: [{ atMs: 4_990, command: { type: 'console.cancel', appId: 'app-1' } }] });
    expect(run.calls.some((call) => call.call === 'fetchJobsOverview' && call.at === 5_000)).toBe(true);
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'CANCELED']);
    expect(run.alerts).toEqual([]);
  });

  test('a cancel Flink accepted, then the cluster gone before any poll saw CANCELED and no archive: CANCELED, not FAILED, and no alert', async () => {
    // Flink removes a cancelled application cluster about a second after the cancel (shutdownDelay 1 s)
    const cancelledAt = 6_000;
    const script = healthyWorld({
      fetchJobsOverview: (now) => (now >= cancelledAt ? { fail: 'refused' } : overview('RUNNING')),
      listFlinkDeployments: (now) => ({ ok: now >= cancelledAt + 1_000 ? [] : [CLUSTER.clusterId] }),
      readHistoryArchive: () => ({ ok: undefined }),
    });
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script, untilMs: 30_000, commands: [{ atMs: cancelledAt, command: { type: 'console.cancel', appId: 'app-1' } }] });
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'CANCELED']);
    expect(run.writes.at(-1)).toMatchObject({ state: 'CANCELED', tracking: 0 });
    expect(run.alerts).toEqual([]);
  });

  test('a failed cancel call does not claim the job failed: the next poll started after it shows RUNNING', async () => {
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script: healthyWorld({ cancelJob: () => ({ fail: 'refused' }) }), untilMs: 20_000, commands: [{ atMs: 6_000, command: { type: 'console.cancel', appId: 'app-1' } }] });
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'RUNNING']);
    expect(run.alerts).toEqual([]);
  });

  test('a console restart tracks every row that was not confirmed ended', async () => {
    const run = await runTracker({ variant: 'proposed', enforceTimeouts: true, script: healthyWorld(), untilMs: 30_000, commands: [{ atMs: 7_000, command: { type: 'console.restart', downtimeMs: 5_000 } }] });
    expect(run.events.find((event) => event.type === 'tracker.restarted')).toMatchObject({ tracked: ['app-1'] });
    expect(run.calls.some((call) => call.call === 'fetchJobsOverview' && call.at >= 12_000)).toBe(true);
  });
});
