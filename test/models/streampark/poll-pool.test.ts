// Issue 21 item 8: the pool StreamPark's status watcher polls on. 2.1.3: newWorkStealingPool(), one
// thread per visible core (FlinkJobStatusWatcher.scala v2.1.3 line 63), running the polls' Futures
// and their onComplete (updateState and its untrack check, lines 101–111 and 215–237). 2.1.4: a
// ScheduledThreadPoolExecutor of max(4, 2 × cores) threads (FlinkWatcher.scala v2.1.4 lines 29–31),
// one of them held by the tick's doWatch while it awaits the cycle.
import { describe, expect, test } from 'vitest';
import { holdsThread, poolThreads, startable } from '../../../src/models/streampark/poll-pool.ts';
import { healthyWorld, runTracker } from '../../support/tracker-harness.ts';

describe('pool sizes', () => {
  test.for([
    { cpus: undefined, workStealing: Number.POSITIVE_INFINITY, scheduledWithTick: Number.POSITIVE_INFINITY },
    { cpus: 1, workStealing: 1, scheduledWithTick: 3 },
    { cpus: 2, workStealing: 2, scheduledWithTick: 3 },
    { cpus: 4, workStealing: 4, scheduledWithTick: 7 },
  ])('$cpus core(s): 2.1.3 $workStealing, 2.1.4 $scheduledWithTick thread(s) for polls', ({ cpus, workStealing, scheduledWithTick }) => {
    const timing = cpus === undefined ? {} : { consoleCpus: cpus };
    expect(poolThreads('workStealing', timing)).toBe(workStealing);
    expect(poolThreads('scheduledWithTick', timing)).toBe(scheduledWithTick);
  });

  test('first in, first out; only polls and untrack checks hold a thread', () => {
    const task = (id: string) => ({ actor: 'untrackCheck' as const, id, trackId: { appId: id, mode: 'application' as const, namespace: 'n', clusterId: 'c', jobId: 'j' } });
    expect(startable({ busy: 1, queue: [task('a'), task('b'), task('c')] }, 2)).toEqual({ start: [task('a')], pool: { busy: 2, queue: [task('b'), task('c')] } });
    expect(holdsThread('probe-3-app-1')).toBe(true);
    expect(holdsThread('untrack-2')).toBe(true);
    expect(holdsThread('cancel-app-1')).toBe(false);
  });
});

describe('a one-core 2.1.3 console', () => {
  // REST refused from 5 s; every API call times out (10 s): each poll infers FAILED after its URL
  // refresh (10 s) and existence check (10 s), then its onComplete's untrack check waits 10 s more
  const outage = healthyWorld({
    fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'refused', latencyMs: 0 } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
    lookupRestService: (now) => (now >= 5_000 ? { fail: 'timeout', latencyMs: 10_000 } : { ok: 'http://rest' }),
    listFlinkDeployments: (now) => (now >= 5_000 ? { fail: 'timeout', latencyMs: 10_000 } : { ok: ['flink-demo'] }),
  });
  /** Gaps between the re-trackings (each poll's onComplete re-adds the id its predecessor's untrack check removed: docs/models.md rule 4). */
  const retrackGaps = (run: Awaited<ReturnType<typeof runTracker>>) => {
    const at = run.events.filter((event) => event.type === 'tracking.started').map((event) => event.t);
    return at.slice(1).map((t, index) => t - at[index]!);
  };

  test('each poll waits for the untrack check its predecessor started; with threads to spare it runs beside it', async () => {
    const spare = await runTracker({ variant: 'fix-listener-only', script: outage, untilMs: 120_000 });
    const oneCore = await runTracker({ variant: 'fix-listener-only', script: outage, untilMs: 120_000, timing: { consoleCpus: 1 } });
    // a poll takes 20 s (URL refresh + existence check, 10 s each); its untrack check 10 s more
    expect(retrackGaps(spare).length).toBeGreaterThanOrEqual(3);
    for (const gap of retrackGaps(spare)) expect(gap).toBeLessThan(21_000);
    expect(retrackGaps(oneCore).length).toBeGreaterThanOrEqual(2);
    for (const gap of retrackGaps(oneCore)) expect(gap).toBeGreaterThanOrEqual(30_000);
    // the same trace, written less often: FAILED (and its alert) every 30 s instead of 20 s
    expect(oneCore.trace()).toEqual(spare.trace());
    expect(oneCore.alerts.length).toBeLessThan(spare.alerts.length);
  });

  test('v2.1.4 keeps three threads for its polls with one core: no poll waits', async () => {
    const spare = await runTracker({ variant: 'v2.1.4', script: outage, untilMs: 120_000 });
    const oneCore = await runTracker({ variant: 'v2.1.4', script: outage, untilMs: 120_000, timing: { consoleCpus: 1 } });
    expect(oneCore.calls.map((call) => [call.at, call.call])).toEqual(spare.calls.map((call) => [call.at, call.call]));
  });
});
