// what each variant changes — isDeploymentExists on an API error (BUG 1), v2.1.4's
// grace window, session mode, console restart, cancel, and the REST URL refresh order.
import { describe, expect, test } from 'vitest';
import { appRow, healthyWorld, runTracker } from '../../support/tracker-harness.ts';

// REST fails from 5 s on; the pod never restarted; the API refuses deployment lists in `apiDown`.
const existenceProbe = (apiDown: (now: number) => boolean) =>
  healthyWorld({
    fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
    lookupRestService: (now) => (apiDown(now) ? { fail: 'refused' } : { ok: 'http://rest' }),
    listFlinkDeployments: (now) => (apiDown(now) ? { fail: 'refused' } : { ok: ['flink-demo'] }),
  });

describe('isDeploymentExists when the API call throws (BUG 1)', () => {
  test.for([
    ['v2.1.3', ['RUNNING', 'FAILED']], // false: "deleted" → archive → FAILED
    ['fix-listener-only', ['RUNNING', 'FAILED']],
    ['fix-retriever-only', ['RUNNING', 'INITIALIZING']], // true → pods (healthy) → K8S_INITIALIZING
    ['minimal-fix', ['RUNNING', 'INITIALIZING']],
    ['v2.1.4', ['RUNNING', 'INITIALIZING']],
  ] as const)('%s reads an API error as %j', async ([variant, trace]) => {
    const run = await runTracker({ variant, script: existenceProbe((now) => now >= 5_000), untilMs: 6_000 });
    expect(run.trace()).toEqual(trace);
  });

  test('v2.1.3 untracks an end state when the existence check fails: no poll afterwards', async () => {
    const run = await runTracker({ variant: 'v2.1.3', script: existenceProbe((now) => now >= 5_000), untilMs: 60_000 });
    expect(run.events.filter((event) => event.type === 'tracking.stopped')).toHaveLength(1);
    expect(run.calls.filter((call) => call.call === 'fetchJobsOverview' && call.at > 6_000)).toEqual([]);
  });

  test('v2.1.4: true for 3 minutes after the first failure, then false once, then a new window', async () => {
    const run = await runTracker({ variant: 'v2.1.4', script: existenceProbe((now) => now >= 5_000), untilMs: 200_000 });
    const written = run.writes.map((write) => `${write.state}@${Math.floor(write.t / 1_000)}`);
    // INITIALIZING while the window lasts; at ≥ 185 s the check says "gone" → archive → FAILED
    expect(run.trace()).toEqual(['RUNNING', 'INITIALIZING', 'FAILED', 'INITIALIZING']);
    const failedAt = run.writes.find((write) => write.state === 'FAILED')!.t;
    expect(failedAt).toBeGreaterThanOrEqual(185_000);
    expect(failedAt).toBeLessThan(191_000);
    expect(written.length).toBeGreaterThan(3);
  });

  test('v2.1.4 never clears the first-failure time on success: a later blip answers false at once', async () => {
    const blips = (now: number) => (now >= 5_000 && now < 6_000) || now >= 300_000;
    const run = await runTracker({
      variant: 'v2.1.4',
      script: healthyWorld({
        fetchJobsOverview: (now) => (blips(now) ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
        lookupRestService: (now) => (blips(now) ? { fail: 'refused' } : { ok: 'http://rest' }),
        listFlinkDeployments: (now) => (blips(now) ? { fail: 'refused' } : { ok: ['flink-demo'] }),
      }),
      untilMs: 301_000,
    });
    expect(run.trace()).toEqual(['RUNNING', 'INITIALIZING', 'RUNNING', 'FAILED']);
    expect(run.writes.find((write) => write.state === 'FAILED')!.t).toBeLessThan(300_100);
  });
});

describe('v2.1.4 refresh order and canceling', () => {
  test('v2.1.3 reads the Service first; v2.1.4 the Ingress first', async () => {
    const first = async (variant: string) => (await runTracker({ variant, script: healthyWorld(), untilMs: 100 })).calls[0]!.call;
    expect(await first('v2.1.3')).toBe('lookupRestService');
    expect(await first('v2.1.4')).toBe('lookupIngress');
  });

  test('v2.1.4: an Ingress error is swallowed, nothing escapes', async () => {
    const script = healthyWorld({ fetchJobsOverview: (now) => (now === 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: now > 5_000 ? 'FINISHED' : 'RUNNING' }] } }), lookupIngress: (now) => (now >= 5_000 ? { fail: 'reset' } : { ok: undefined }) });
    const v214 = await runTracker({ variant: 'v2.1.4', script, untilMs: 5_200 });
    expect(v214.trace()).toEqual(['RUNNING', 'FINISHED']); // the retry on the Service's URL succeeded
    const v213 = await runTracker({ variant: 'v2.1.3', script, untilMs: 5_200 });
    expect(v213.trace()).toEqual(['RUNNING']); // escaped: the poll changed nothing
  });
});

describe('session mode', () => {
  const rows = [appRow('orders', 'session', 'job-o', 'session'), appRow('payments', 'session', 'job-p', 'session')];
  const sessionWorld = (restDown: (now: number) => boolean) =>
    healthyWorld({
      fetchJobsOverview: (now) => (restDown(now) ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-o', name: 'orders', state: 'RUNNING' }, { jid: 'job-p', name: 'payments', state: 'RUNNING' }] } }),
    });

  test('v2.1.3: a failed REST call publishes LOST for every job and untracks them', async () => {
    const run = await runTracker({ variant: 'v2.1.3', rows, script: sessionWorld((now) => now >= 5_000 && now < 20_000), untilMs: 60_000 });
    expect(run.trace('orders')).toEqual(['RUNNING', 'LOST']);
    expect(run.trace('payments')).toEqual(['RUNNING', 'LOST']);
    expect(run.events.filter((event) => event.type === 'tracking.stopped').map((event) => 'appId' in event && event.appId).sort()).toEqual(['orders', 'payments']);
  });

  test('minimal-fix does not touch the session path: LOST, untracked, for good', async () => {
    const run = await runTracker({ variant: 'minimal-fix', rows, script: sessionWorld((now) => now >= 5_000 && now < 20_000), untilMs: 60_000 });
    expect(run.trace('orders')).toEqual(['RUNNING', 'LOST']);
  });

  test('v2.1.4: a missing job is asked for again, then inferred from the cache: SILENT, not LOST', async () => {
    const run = await runTracker({ variant: 'v2.1.4', rows, script: sessionWorld((now) => now >= 5_000 && now < 20_000), untilMs: 60_000 });
    expect(run.trace('orders')).toEqual(['RUNNING', 'SILENT', 'RUNNING']);
    expect(run.events.some((event) => event.type === 'tracking.stopped')).toBe(false);
  });

  test('an overview that lists no job at all is a MatchError: nothing happens', async () => {
    const run = await runTracker({ variant: 'v2.1.3', rows, script: healthyWorld({ fetchJobsOverview: (now) => ({ ok: { jobs: now >= 5_000 ? [] : [{ jid: 'job-o', name: 'orders', state: 'RUNNING' }, { jid: 'job-p', name: 'payments', state: 'RUNNING' }] } }) }), untilMs: 30_000 });
    expect(run.trace('orders')).toEqual(['RUNNING']);
  });
});

describe('console restart', () => {
  const failedDuringOutage = healthyWorld({
    fetchJobsOverview: (now) => (now >= 5_000 && now < 30_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
    lookupRestService: (now) => (now >= 5_000 && now < 30_000 ? { fail: 'refused' } : { ok: 'http://rest' }),
    listFlinkDeployments: (now) => (now >= 5_000 && now < 30_000 ? { fail: 'refused' } : { ok: ['flink-demo'] }),
    getDeploymentPods: (now) => (now >= 5_000 && now < 30_000 ? { fail: 'refused' } : { ok: [{ name: 'jm', phase: 'Running', containers: [{ name: 'c', restartCount: 1, ready: true, lastTerminated: { reason: 'Error', exitCode: 1 } }] }] }),
  });

  test.for(['v2.1.3', 'minimal-fix', 'v2.1.4'])('%s: FAILED has tracking 0, so after a restart it is never polled again', async (variant) => {
    const run = await runTracker({ variant, script: failedDuringOutage, untilMs: 120_000, commands: [{ atMs: 10_000, command: { type: 'console.restart', downtimeMs: 10_000 } }] });
    expect(run.writes.find((write) => write.state === 'FAILED')?.tracking).toBe(0);
    expect(run.trace()).toEqual(['RUNNING', 'FAILED']);
    expect(run.events.find((event) => event.type === 'tracker.restarted')).toMatchObject({ tracked: [] });
  });

  test('minimal-fix without the restart recovers', async () => {
    const run = await runTracker({ variant: 'minimal-fix', script: failedDuringOutage, untilMs: 120_000 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED', 'RUNNING']);
  });

  test('a row still tracked (RUNNING) is tracked again after the restart; v2.1.3 checks its deployment first, v2.1.4 does not', async () => {
    const restart = [{ atMs: 7_000, command: { type: 'console.restart' as const, downtimeMs: 5_000 } }];
    const v213 = await runTracker({ variant: 'v2.1.3', script: healthyWorld(), untilMs: 20_000, commands: restart });
    const v214 = await runTracker({ variant: 'v2.1.4', script: healthyWorld(), untilMs: 20_000, commands: restart });
    for (const run of [v213, v214]) expect(run.events.find((event) => event.type === 'tracker.restarted')).toMatchObject({ tracked: ['app-1'] });
    const listsAtRestart = (run: typeof v213) => run.calls.filter((call) => call.call === 'listFlinkDeployments' && call.at >= 12_000 && call.at < 12_100).length;
    expect(listsAtRestart(v213)).toBe(1);
    expect(listsAtRestart(v214)).toBe(0);
    // the caches were lost: the first poll after the restart resolves the REST URL again (the Service twice: retrieve, then getClusterClient)
    expect(v213.calls.filter((call) => call.call === 'lookupRestService' && call.at >= 12_000)).toHaveLength(2);
  });
});

describe('console cancel', () => {
  test('a failed cancel writes FAILED (and marks the id canceling)', async () => {
    const run = await runTracker({ script: healthyWorld({ cancelFlinkJob: () => ({ fail: 'http' }) }), untilMs: 12_000, commands: [{ atMs: 6_000, command: { type: 'console.cancel', appId: 'app-1' } }] });
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'FAILED']);
  });

  test('after a cancel, a REST failure infers CANCELED from the canceling set', async () => {
    const run = await runTracker({
      variant: 'minimal-fix',
      script: healthyWorld({ fetchJobsOverview: (now) => (now >= 7_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }), listFlinkDeployments: (now) => ({ ok: now >= 7_000 ? [] : ['flink-demo'] }) }),
      untilMs: 20_000,
      commands: [{ atMs: 6_000, command: { type: 'console.cancel', appId: 'app-1' } }],
    });
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'CANCELED']);
  });
});
