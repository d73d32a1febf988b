// the polling loop, the REST path with its refresh and retry, inferFromKubernetes
// and updateState, on scripted ports and virtual time (model v2.1.3 unless said otherwise).
import { describe, expect, test } from 'vitest';
import { appRow, healthyWorld, RESTARTED_POD, runTracker } from '../../support/tracker-harness.ts';

const restCalls = (run: Awaited<ReturnType<typeof runTracker>>) => run.calls.filter((call) => call.call === 'fetchJobsOverview').map((call) => call.at);

describe('polling loop', () => {
  test('polls every 5 s from t = 0', async () => {
    const run = await runTracker({ script: healthyWorld(), untilMs: 20_100 });
    expect(restCalls(run)).toEqual([0 + 30, 5_000, 10_000, 15_000, 20_000]); // the first poll resolves the REST URL first (the Service twice, the Ingress: 3 × 10 ms)
  });

  test('cycles never overlap; a late cycle makes the next ones start at once until caught up (fixed rate)', async () => {
    // the poll at 5 s takes 12 s: the runs due at 10 s and 15 s start at 17 s, back to back
    const run = await runTracker({ script: healthyWorld({ fetchJobsOverview: (now) => ({ ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] }, latencyMs: now === 5_000 ? 12_000 : 1 }) }), untilMs: 21_000 });
    expect(restCalls(run)).toEqual([30, 5_000, 17_000, 17_001, 20_000]);
  });

  test('a cycle waits at most 120 s for its polls; the late poll still reports afterwards', async () => {
    const run = await runTracker({
      script: healthyWorld({ fetchJobsOverview: (now) => (now === 5_000 ? { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'FINISHED' }] }, latencyMs: 150_000 } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] }, latencyMs: 1 }) }),
      untilMs: 160_000,
    });
    expect(run.events.some((event) => event.type === 'cycle.timeout' && event.t === 125_000)).toBe(true);
    expect(restCalls(run).filter((at) => at > 5_000)[0]).toBe(125_000); // the next cycle starts when the wait ends
    expect(run.writes.find((write) => write.state === 'FINISHED')?.t).toBe(155_000); // the late poll is applied when it comes
  });

  test.for(['v2.1.3', 'v2.1.4'])('%s: the wait for application polls, then another for session polls (two Await.ready in a row)', async (variant) => {
    // one application and one session job, both polls of the 5 s cycle hang for 300 s: the
    // cycle waits 120 s for the application poll, then 120 s more for the session poll
    const rows = [appRow('app-1'), appRow('orders', 'session', 'job-o', 'session')];
    const script = healthyWorld({
      fetchJobsOverview: (now) => ({ ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }, { jid: 'job-o', name: 'o', state: 'RUNNING' }] }, latencyMs: now === 5_000 ? 300_000 : 1 }),
    });
    const run = await runTracker({ variant, rows, script, untilMs: 250_000 });
    expect(run.events.filter((event) => event.type === 'cycle.timeout').map((event) => event.t)).toEqual([125_000, 245_000]);
    expect(restCalls(run).filter((at) => at > 5_000)[0]).toBe(245_000);
  });

  test('an unchanged state is published again every 20–25 s (the cache entry expires 20 s after it was written)', async () => {
    // polls take 10 ms; the first one 40 ms (it resolves the REST URL first)
    const run = await runTracker({ script: healthyWorld(), untilMs: 70_000 });
    expect(run.writes.map((write) => write.t)).toEqual([0, 40, 25_010, 45_010, 65_010]);
  });
});

describe('REST path', () => {
  test('a failed REST call refreshes the URL through the API (the Service twice — retrieve, then getClusterClient — then the Ingress) and tries once more', async () => {
    const run = await runTracker({ script: healthyWorld({ fetchJobsOverview: (now) => (now === 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }) }), untilMs: 5_100 });
    expect(run.calls.filter((call) => call.at >= 5_000).map((call) => call.call)).toEqual(['fetchJobsOverview', 'lookupRestService', 'lookupRestService', 'lookupIngress', 'fetchJobsOverview']);
  });

  test('when the retry fails too, the state is inferred from Kubernetes', async () => {
    const run = await runTracker({ script: healthyWorld({ fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }) }), untilMs: 5_200 });
    expect(run.calls.filter((call) => call.at >= 5_000).map((call) => call.call)).toEqual(['fetchJobsOverview', 'lookupRestService', 'lookupRestService', 'lookupIngress', 'fetchJobsOverview', 'listFlinkDeployments', 'getDeploymentPods']);
    expect(run.trace()).toEqual(['RUNNING', 'INITIALIZING']); // deployment exists, pod never restarted
  });

  test('when the Service lookup fails, there is no URL and no retry: straight to inference', async () => {
    const run = await runTracker({
      script: healthyWorld({ fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }), lookupRestService: (now) => (now >= 5_000 ? { fail: 'timeout' } : { ok: 'http://rest' }) }),
      untilMs: 5_100,
    });
    expect(run.calls.filter((call) => call.at >= 5_000).map((call) => call.call)).toEqual(['fetchJobsOverview', 'lookupRestService', 'listFlinkDeployments', 'getDeploymentPods']);
  });

  test('a Service read that finds no Service ends the refresh: no second read, no URL (retrieve throws "Could not get the rest endpoint")', async () => {
    const run = await runTracker({
      script: healthyWorld({ fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }), lookupRestService: (now) => ({ ok: now >= 5_000 ? undefined : 'http://rest' }) }),
      untilMs: 5_100,
    });
    expect(run.calls.filter((call) => call.at >= 5_000).map((call) => call.call)).toEqual(['fetchJobsOverview', 'lookupRestService', 'listFlinkDeployments', 'getDeploymentPods']);
  });

  test('an Ingress lookup that throws after the Service was found escapes: that poll changes nothing', async () => {
    const run = await runTracker({
      script: healthyWorld({
        fetchJobsOverview: (now) => (now >= 5_000 && now < 9_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
        lookupIngress: (now) => (now >= 5_000 ? { fail: 'reset' } : { ok: undefined }),
      }),
      untilMs: 9_000,
    });
    expect(run.calls.filter((call) => call.at >= 5_000 && call.at < 9_000).map((call) => call.call)).toEqual(['fetchJobsOverview', 'lookupRestService', 'lookupRestService', 'lookupIngress']);
    expect(run.trace()).toEqual(['RUNNING']);
  });

  test('with no cached URL an escaping refresh is caught once (first Try) and retried', async () => {
    const run = await runTracker({ script: healthyWorld({ lookupIngress: () => ({ fail: 'reset' }) }), untilMs: 100 });
    expect(run.calls.map((call) => call.call)).toEqual(['lookupRestService', 'lookupRestService', 'lookupIngress', 'lookupRestService', 'lookupRestService', 'lookupIngress']);
    expect(run.trace()).toEqual(['RUNNING']);
  });

  test('the Flink view wins: a listed job gives its state whatever Kubernetes says', async () => {
    const run = await runTracker({ script: healthyWorld({ fetchJobsOverview: () => ({ ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RESTARTING' }] } }), listFlinkDeployments: () => ({ ok: [] }) }), untilMs: 100 });
    expect(run.trace()).toEqual(['RUNNING', 'RESTARTING']);
    expect(run.calls.some((call) => call.call === 'listFlinkDeployments')).toBe(false);
  });

  test('an overview with no job is inferred from Kubernetes, like a failed call', async () => {
    const run = await runTracker({ script: healthyWorld({ fetchJobsOverview: () => ({ ok: { jobs: [] } }) }), untilMs: 100 });
    expect(run.trace()).toEqual(['RUNNING', 'INITIALIZING']);
  });

  test('an unknown Flink state is shown as OTHER', async () => {
    const run = await runTracker({ script: healthyWorld({ fetchJobsOverview: () => ({ ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'DEPLOYING' }] } }) }), untilMs: 100 });
    expect(run.trace()).toEqual(['RUNNING', 'OTHER']);
  });
});

const restDown = (from: number) => ({ fetchJobsOverview: (now: number) => (now >= from ? ({ fail: 'refused' } as const) : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }) });

describe('inferFromKubernetes', () => {
  test('deployment exists, pod restarted (deployment error), connected → FAILED, after reading the terminated log', async () => {
    const run = await runTracker({ script: healthyWorld({ ...restDown(5_000), getDeploymentPods: () => ({ ok: RESTARTED_POD }) }), untilMs: 5_200 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED']);
    expect(run.calls.some((call) => call.call === 'fetchTerminatedPodLog')).toBe(true);
  });

  test('deployment exists, pod Pending → K8S_INITIALIZING (shown INITIALIZING)', async () => {
    const run = await runTracker({ script: healthyWorld({ ...restDown(5_000), getDeploymentPods: () => ({ ok: [{ name: 'jm-2', phase: 'Pending', containers: [] }] }) }), untilMs: 5_200 });
    expect(run.trace()).toEqual(['RUNNING', 'INITIALIZING']);
  });

  test('pods cannot be read (API error → empty list → deployment error) → FAILED', async () => {
    const run = await runTracker({ script: healthyWorld({ ...restDown(5_000), getDeploymentPods: () => ({ fail: 'timeout' }) }), untilMs: 5_200 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED']);
  });

  test('deployment gone, connected → the archived state', async () => {
    const run = await runTracker({ script: healthyWorld({ ...restDown(5_000), listFlinkDeployments: (now) => ({ ok: now >= 5_000 ? [] : ['flink-demo'] }), readHistoryArchive: () => ({ ok: 'FINISHED' }) }), untilMs: 5_200 });
    expect(run.trace()).toEqual(['RUNNING', 'FINISHED']);
  });

  test('deployment gone, connected, no archive → FAILED', async () => {
    const run = await runTracker({ script: healthyWorld({ ...restDown(5_000), listFlinkDeployments: (now) => ({ ok: now >= 5_000 ? [] : ['flink-demo'] }) }), untilMs: 5_200 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED']);
  });

  const disconnected = { applicationProbe: { guards: { canBuildKubernetesClient: () => false } } };
  test('deployment gone, not connected → fromPreCache: SILENT', async () => {
    const run = await runTracker({ overrides: disconnected, script: healthyWorld({ ...restDown(5_000), listFlinkDeployments: (now) => ({ ok: now >= 5_000 ? [] : ['flink-demo'] }) }), untilMs: 5_200 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT']);
  });

  test('deployment error, not connected → fromPreCache; SILENT ages into LOST with the debug keep time (5 s < the 20 s cache)', async () => {
    const run = await runTracker({ overrides: disconnected, timing: { pollIntervalMs: 2_000, silentKeepMs: 5_000 }, script: healthyWorld({ ...restDown(4_000), getDeploymentPods: () => ({ ok: RESTARTED_POD }) }), untilMs: 12_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'LOST']);
    const silentAt = run.writes.find((write) => write.state === 'SILENT')!.t;
    expect(run.writes.find((write) => write.state === 'LOST')!.t - silentAt).toBeGreaterThanOrEqual(5_000);
  });

  test('with the default keep time (60 s) and polls that read the cache after it expired, SILENT never becomes LOST', async () => {
    // every call answers at once: each SILENT entry is gone when the poll 20 s later reads it
    const instant = (answer: ReturnType<ReturnType<typeof healthyWorld>>) => ({ ...answer, latencyMs: 0 });
    const world = healthyWorld({ ...restDown(5_000), getDeploymentPods: () => ({ ok: RESTARTED_POD }) });
    const run = await runTracker({ overrides: disconnected, script: (call, request, now) => instant(world(call, request, now)), untilMs: 200_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT']);
  });

  test('but a poll that reads the SILENT entry just before it expires re-writes it with its old poll time: LOST after 60 s', async () => {
    // not in the first reading of the source (which called it unreachable); it follows from its rules when a poll straddles the expiry
    const run = await runTracker({ overrides: disconnected, script: healthyWorld({ ...restDown(5_000), getDeploymentPods: () => ({ ok: RESTARTED_POD }) }), untilMs: 200_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'LOST']);
    const silentAt = run.writes.find((write) => write.state === 'SILENT')!.t;
    expect(run.writes.find((write) => write.state === 'LOST')!.t - silentAt).toBeGreaterThanOrEqual(60_000);
  });
});

describe('updateState and untracking', () => {
  test('an end state whose deployment is gone stops the tracking: no poll after it', async () => {
    const run = await runTracker({ script: healthyWorld({ fetchJobsOverview: (now) => ({ ok: { jobs: [{ jid: 'job-1', name: 'j', state: now >= 5_000 ? 'FINISHED' : 'RUNNING' }] } }), listFlinkDeployments: (now) => ({ ok: now >= 5_000 ? [] : ['flink-demo'] }) }), untilMs: 60_000 });
    expect(run.trace()).toEqual(['RUNNING', 'FINISHED']);
    expect(run.events.filter((event) => event.type === 'tracking.stopped')).toHaveLength(1);
    expect(restCalls(run).filter((at) => at > 5_000)).toEqual([]);
  });

  test('an end state whose deployment still exists stays tracked', async () => {
    const run = await runTracker({ script: healthyWorld({ fetchJobsOverview: (now) => ({ ok: { jobs: [{ jid: 'job-1', name: 'j', state: now >= 5_000 ? 'FAILED' : 'RUNNING' }] } }) }), untilMs: 30_000 });
    expect(run.events.some((event) => event.type === 'tracking.stopped')).toBe(false);
    expect(restCalls(run).filter((at) => at > 5_000)).toEqual([10_000, 15_000, 20_000, 25_000]);
  });

  test('a later result re-adds an untracked id to trackIds (trackIds.update in updateState)', async () => {
    // API calls time out (10 s) from 5 s to 60 s, REST refuses from 5 s to 30 s: the FAILED at
    // 25 s untracks at 35 s, but the poll started at 25 s reports at 45 s and re-adds the id.
    const apiDown = (now: number) => now >= 5_000 && now < 60_000;
    const run = await runTracker({
      variant: 'fix-listener-only',
      script: healthyWorld({
        fetchJobsOverview: (now) => (now >= 5_000 && now < 30_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
        lookupRestService: (now) => (apiDown(now) ? { fail: 'timeout', latencyMs: 10_000 } : { ok: 'http://rest' }),
        listFlinkDeployments: (now) => (apiDown(now) ? { fail: 'timeout', latencyMs: 10_000 } : { ok: ['flink-demo'] }),
      }),
      untilMs: 100_000,
    });
    const tracking = run.events.filter((event) => event.type === 'tracking.stopped' || event.type === 'tracking.started').map((event) => `${event.type}@${Math.round(event.t / 1_000)}s`);
    expect(tracking.slice(0, 2)).toEqual(["tracking.stopped@35s", "tracking.started@45s"]);
    expect(run.trace()).toEqual(['RUNNING', 'FAILED', 'RUNNING']);
  });
});
