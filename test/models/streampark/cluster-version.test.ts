// IngressController's `lazy val clusterVersion` (IngressController.scala lines 32–34, both tags):
// GET /version, uncaught, retried at every access until it succeeds once per console process.
// v2.1.4 reaches it before anything else in a REST-URL refresh (KubernetesRetriever.scala v2.1.4
// lines 163–172); v2.1.3 only after the Service read succeeded (v2.1.3 lines 138–150).
import { describe, expect, test } from 'vitest';
import { healthyWorld, runTracker, type HarnessRun } from '../../support/tracker-harness.ts';

const apiDown = (now: number) => now >= 10_000 && now < 60_000;
/** Every Kubernetes API call refused in [10 s, 60 s); Flink's REST endpoint always healthy. */
const apiOutage = healthyWorld({
  getApiServerVersion: (now) => (apiDown(now) ? { fail: 'refused' } : { ok: 'v1.30.2' }),
  lookupRestService: (now) => (apiDown(now) ? { fail: 'refused' } : { ok: 'http://rest' }),
  lookupIngress: (now) => (apiDown(now) ? { fail: 'refused' } : { ok: undefined }),
  listFlinkDeployments: (now) => (apiDown(now) ? { fail: 'refused' } : { ok: ['flink-demo'] }),
  getDeploymentPods: (now) => (apiDown(now) ? { fail: 'refused' } : { ok: [{ name: 'jm', phase: 'Running', containers: [{ name: 'c', restartCount: 0, ready: true }] }] }),
});
const restartAt12s = [{ atMs: 12_000, command: { type: 'console.restart' as const, downtimeMs: 5_000 } }];
const versionCalls = (run: HarnessRun, from = 0, to = Number.POSITIVE_INFINITY) => run.calls.filter((call) => call.call === 'getApiServerVersion' && call.at >= from && call.at < to);

describe('a console restarted during an API outage, Flink healthy', () => {
  test.for([
    // the first refresh (no cached URL) asks /version first; it throws inside the outer Try, the
    // getOrElse branch refreshes again and the second throw escapes: nothing is published
    { variant: 'v2.1.4', trace: ['RUNNING'], versionCallsDuringOutage: true },
    // the Service read fails first (newFinkClusterClient → None → return None): inference, and an
    // API error reads as "deployment gone" → archive → FAILED, which the guard keeps
    { variant: 'v2.1.3', trace: ['RUNNING', 'FAILED'], versionCallsDuringOutage: false },
    // exists = true on an API error → pods fail → isDeploymentError → FAILED, then RUNNING once the API heals
    { variant: 'minimal-fix', trace: ['RUNNING', 'FAILED', 'RUNNING'], versionCallsDuringOutage: false },
  ])('$variant writes $trace', async ({ variant, trace, versionCallsDuringOutage }) => {
    const run = await runTracker({ variant, script: apiOutage, untilMs: 90_000, commands: restartAt12s });
    expect(run.trace()).toEqual(trace);
    expect(versionCalls(run, 17_000, 60_000).length > 0).toBe(versionCallsDuringOutage);
  });

  test('v2.1.4 asks /version twice per poll while unresolved (both refreshes), and never again once it answered', async () => {
    const run = await runTracker({ variant: 'v2.1.4', script: apiOutage, untilMs: 90_000, commands: restartAt12s });
    const firstPollAfterRestart = versionCalls(run, 17_000, 18_000);
    expect(firstPollAfterRestart).toHaveLength(2);
    expect(firstPollAfterRestart.every((call) => call.outcome === 'refused')).toBe(true);
    const answered = versionCalls(run).filter((call) => call.outcome === 'ok');
    expect(answered).toHaveLength(1);
    expect(versionCalls(run, answered[0]!.at + 1)).toEqual([]);
    expect(run.events.some((event) => event.type === 'status.published' && event.state !== 'RUNNING')).toBe(false);
  });

  test('without a restart the version is resolved: v2.1.4 never calls /version and infers as before', async () => {
    const run = await runTracker({ variant: 'v2.1.4', script: healthyWorld({ fetchJobsOverview: (now) => (now >= 10_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }) }), untilMs: 20_000 });
    expect(versionCalls(run)).toEqual([]);
    expect(run.trace()).toEqual(['RUNNING', 'INITIALIZING']);
  });

  test('v2.1.3 reaches /version only after a successful Service read: then its failure escapes too', async () => {
    // /version is refused but every other call answers; REST fails from 20 s, so a refresh is needed
    const script = healthyWorld({
      getApiServerVersion: () => ({ fail: 'refused' }),
      fetchJobsOverview: (now) => (now >= 20_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
    });
    const run = await runTracker({ variant: 'v2.1.3', script, untilMs: 40_000, commands: [{ atMs: 2_000, command: { type: 'console.restart', downtimeMs: 1_000 } }] });
    // (the restart's own existence check, listFlinkDeployments, comes first)
    const order = run.calls.filter((call) => call.at >= 3_000 && call.at < 4_000 && call.call !== 'listFlinkDeployments').map((call) => call.call);
    expect(order.slice(0, 3)).toEqual(['lookupRestService', 'lookupRestService', 'getApiServerVersion']);
    expect(run.trace()).toEqual(['RUNNING']); // every poll escaped: no INITIALIZING from the REST failures
  });
});
