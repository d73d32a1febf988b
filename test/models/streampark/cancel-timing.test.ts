// How long the console's cancel takes to fail (ApplicationServiceImpl.cancel → FlinkClient.cancel):
// the cluster client's Service read with fabric8's timeouts, then Flink's RestClusterClient,
// which sends the cancel again after rest.retry.delay (3 s) on a connection problem or a 503,
// up to rest.retry.max-attempts (20) times, each attempt bounded by rest.connection-timeout (15 s)
// and rest.idleness-timeout (300 s) (RestClusterClient.sendRetriableRequest and
// isConnectionProblemOrServiceUnavailable; RestOptions defaults). The failure writes FAILED
// (ApplicationServiceImpl.java v2.1.3 lines 1386–1396, v2.1.4 1383–1394).
import { describe, expect, test } from 'vitest';
import type { ScriptedAnswer } from '../../support/scripted-ports.ts';
import { healthyWorld, runTracker } from '../../support/tracker-harness.ts';

const CANCEL_AT = 6_000;
const cancel = [{ atMs: CANCEL_AT, command: { type: 'console.cancel' as const, appId: 'app-1' } }];

describe('a cancel whose REST call fails', () => {
  test.for([
    // refused at once: 21 attempts, 20 delays of 3 s
    { name: 'connection refused', answer: { fail: 'refused' }, attempts: 21, failsAfterMs: 20 * 3_000 },
    // the proxy accepted and closed (the JobManager is down behind it): an I/O failure, retried alike
    { name: 'connection closed without an answer', answer: { fail: 'closed' }, attempts: 21, failsAfterMs: 20 * 3_000 },
    // an HTTP 503 (an Ingress in front of a JobManager that is down) is retried too
    { name: 'HTTP 503', answer: { fail: 'http', status: 503 }, attempts: 21, failsAfterMs: 20 * 3_000 },
    // no such running job: RestClientException 404, not retried
    { name: 'HTTP 404 (no such job)', answer: { fail: 'http', status: 404 }, attempts: 1, failsAfterMs: 0 },
  ] as const)('$name: $attempts attempt(s), FAILED written $failsAfterMs ms after the first', async ({ answer, attempts, failsAfterMs }) => {
    const script = healthyWorld({ cancelFlinkJob: (): ScriptedAnswer => ({ fail: answer.fail, latencyMs: 0, ...('status' in answer ? { message: `HTTP ${answer.status}` } : {}) }) });
    const run = await runTracker({ script, untilMs: 200_000, commands: cancel });
    const tries = run.calls.filter((call) => call.call === 'cancelFlinkJob');
    expect(tries).toHaveLength(attempts);
    // meanwhile Flink answers RUNNING, which the listener writes over CANCELLING whenever the
    // 20 s status cache has expired; the cancel's failure writes FAILED last
    expect(run.trace().slice(0, 2)).toEqual(['RUNNING', 'CANCELLING']);
    expect(run.trace().at(-1)).toBe('FAILED');
    const failedAt = run.writes.find((write) => write.state === 'FAILED')!.t;
    expect(failedAt - tries[0]!.at).toBeGreaterThanOrEqual(failsAfterMs);
    expect(failedAt - tries[0]!.at).toBeLessThan(failsAfterMs + 1_000);
  });

  test('each attempt gets the RestClusterClient timeouts (15 s connect, 300 s idle), not the API client’s', async () => {
    const run = await runTracker({ script: healthyWorld(), untilMs: 7_000, commands: cancel });
    expect(run.calls.find((call) => call.call === 'cancelFlinkJob')!.request).toMatchObject({ connectTimeoutMs: 15_000, responseTimeoutMs: 300_000 });
  });

  test('a REST endpoint that never answers: every attempt waits out the idle timeout, so the cancel is still pending after an hour', async () => {
    const script = healthyWorld({ cancelFlinkJob: () => ({ fail: 'timeout', latencyMs: 300_000 }) });
    const run = await runTracker({ script, untilMs: 3_600_000, commands: cancel, timing: { pollIntervalMs: 600_000 } });
    expect(run.writes.some((write) => write.state === 'FAILED')).toBe(false);
    expect(run.calls.filter((call) => call.call === 'cancelFlinkJob').length).toBe(11); // one timed out every 303 s; the 12th still waits
  });

  test('no Service (the Deployment is gone): the cluster client cannot be retrieved, FAILED at once', async () => {
    const run = await runTracker({ script: healthyWorld({ lookupRestService: (now) => ({ ok: now >= CANCEL_AT ? undefined : 'http://rest' }) }), untilMs: 7_000, commands: cancel });
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'FAILED']);
    expect(run.calls.some((call) => call.call === 'cancelFlinkJob')).toBe(false);
  });
});

// Issue 21 item 7: the cancel's future runs on the console's bootstrapExecutor (daemon threads:
// ApplicationServiceImpl v2.1.3 line 1368, v2.1.4 1364; ThreadUtils.scala line 28) and dies with
// its JVM; its whenComplete — FAILED and unWatching — never runs. The row keeps CANCELLING
// (tracking = 1), so the restarted console tracks it again and writes what Flink says.
describe('a console restart while a cancel is in flight', () => {
  test.for(['v2.1.3', 'v2.1.4'])('%s: no further attempt, no FAILED, no canceling mark; the restarted console writes Flink’s RUNNING over CANCELLING', async (variant) => {
    const script = healthyWorld({ cancelFlinkJob: (): ScriptedAnswer => ({ fail: 'refused', latencyMs: 0 }) });
    const restart = { atMs: 20_000, command: { type: 'console.restart' as const, downtimeMs: 30_000 } };
    const run = await runTracker({ variant, script, untilMs: 200_000, commands: [...cancel, restart] });
    const tries = run.calls.filter((call) => call.call === 'cancelFlinkJob');
    expect(tries.length).toBeGreaterThan(1);
    expect(tries.every((call) => call.at < 20_000)).toBe(true);
    expect(run.writes.some((write) => write.state === 'FAILED')).toBe(false);
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'RUNNING']);
    expect(run.writes.find((write) => write.state === 'RUNNING' && write.t > CANCEL_AT)!.t).toBeGreaterThanOrEqual(50_000);
  });
});

// Issue 21 item 6: the cancel's Kubernetes side. executeClientAction calls
// `clusterDescriptor.retrieve(clusterId).getClusterClient` (KubernetesNativeClientTrait.scala
// lines 115–118, both tags): retrieve builds a cluster client once to log it, getClusterClient
// builds it again (KubernetesClusterDescriptor 1.14.4 lines 94–154): two reads of the `-rest`
// Service, each one fabric8 GET with 10 s connect and read timeouts and no retry (fabric8 5.5.0
// OperationSupport.retryWithExponentialBackoff lines 580–595 retries only a 5xx, and only up to
// requestRetryBackoffLimit, 0 by default: Config.java line 142).
describe('the cancel’s Kubernetes client', () => {
  const calls = (run: Awaited<ReturnType<typeof runTracker>>) => run.calls.filter((call) => call.at >= CANCEL_AT && (call.call === 'lookupRestService' || call.call === 'cancelFlinkJob')).map((call) => call.call);

  test('two Service reads, then the cancel', async () => {
    const run = await runTracker({ script: healthyWorld(), untilMs: 7_000, commands: cancel });
    expect(calls(run)).toEqual(['lookupRestService', 'lookupRestService', 'cancelFlinkJob']);
  });

  test.for([
    { name: 'refused', answer: { fail: 'refused', latencyMs: 0 }, failedAfterMs: 0 },
    { name: 'timed out (10 s)', answer: { fail: 'timeout', latencyMs: 10_000 }, failedAfterMs: 10_000 },
    { name: 'HTTP 504 (the API server without etcd)', answer: { fail: 'http', latencyMs: 10_000, message: 'HTTP 504' }, failedAfterMs: 10_000 },
  ] as const)('the API %s: one read, no retry, FAILED when it fails', async ({ answer, failedAfterMs }) => {
    const script = healthyWorld({ lookupRestService: (now) => (now >= CANCEL_AT ? answer : { ok: 'http://rest' }) });
    const run = await runTracker({ script, untilMs: 40_000, commands: cancel });
    expect(calls(run)).toEqual(['lookupRestService']);
    const failedAt = run.writes.find((write) => write.state === 'FAILED')!.t;
    expect(failedAt - CANCEL_AT).toBeGreaterThanOrEqual(failedAfterMs);
    expect(failedAt - CANCEL_AT).toBeLessThan(failedAfterMs + 100);
  });

  test('the API lost between the two reads: the second fails the cancel, which never reaches Flink', async () => {
    let reads = 0;
    const script = healthyWorld({ lookupRestService: (now) => (now >= CANCEL_AT && ++reads === 2 ? { fail: 'timeout', latencyMs: 10_000 } : { ok: 'http://rest' }) });
    const run = await runTracker({ script, untilMs: 40_000, commands: cancel });
    expect(calls(run)).toEqual(['lookupRestService', 'lookupRestService']);
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'FAILED']);
  });
});
