// The REST stub (flink-rest-stub over flink-cluster, which the simulation shares) held to what a
// real Flink 1.18.1 JobManager answered on the trackers' path, recorded by `npm run record:flink`
// into test/fixtures/flink/: the same shape of every answer, the same states a poller can see in
// the same order (start, restart with and without HA, cancel, fail, finish), the same job id
// behaviour, and the scenario defaults (app.recovery, app.shutdownDelay) within a stated tolerance.
import { afterAll, describe, expect, test } from 'vitest';
import type { FlinkCluster } from '../../../src/backends/flink/flink-cluster.ts';
import type { VirtualClock } from '../../../src/backends/sim/virtual-clock.ts';
import { parseScenario } from '../../../src/scenario/load.ts';
import { DEFAULT_SHUTDOWN_DELAY_MS } from '../../../src/scenario/validate.ts';
import type { ScenarioApp } from '../../../src/scenario/types.ts';
import { httpAnswer, jobsOf, label, loadFlinkFixtures, segments, shape, stubTimeline, visible, type FlinkFixture } from '../../support/flink-fixtures.ts';

/** Shorter than this, a state is seen by luck only: the fastest tracker poll is 500 ms (fast profile), StreamPark's 5 s. */
const MIN_VISIBLE_MS = 100;
/** How far a default duration may be from the recorded one: JVM timing on a shared 2-core machine varies by about this much. */
const TOLERANCE_MS = 1_000;

const fixtures = loadFlinkFixtures();
const byCase = (name: string): FlinkFixture => fixtures.find((fixture) => fixture.case === name) ?? expect.unreachable(`no fixture ${name}`);

/**
 * The scenario app a library scenario gets by default, with or without HA; the recordings were
 * made without a fixed job id (Flink draws one at every start), so the stub runs without one too.
 */
function defaultApp(ha: boolean): ScenarioApp {
  return parseScenario(`name: conformance\nduration: 1m\napp: { clusterId: flink-demo, ha: ${ha}, fixedJobId: false }\n`, 'conformance.yaml').app;
}

/** The stub through the fixture's story, from the action on. */
async function stubFor(fixture: FlinkFixture) {
  const app = defaultApp(fixture.ha);
  const act = async (cluster: FlinkCluster, clock: VirtualClock, port: number) => {
    if (fixture.action === 'restart') {
      cluster.jobManagerDown();
      clock.setTimeout(() => cluster.jobManagerUp(), fixture.downtimeMs ?? 10_000);
    } else if (fixture.action === 'cancel') await httpAnswer(port, `/jobs/${app.jobs[0]!.jobId}?mode=cancel`, 'PATCH');
    else if (fixture.action === 'fail') cluster.failJob(app.jobs[0]!.name);
    else if (fixture.action === 'finish') cluster.finishJob(app.jobs[0]!.name);
  };
  return stubTimeline(app, act, 60_000);
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe('the recordings', () => {
  test('cover start, restart, cancel, fail and finish, with and without HA, from Flink 1.18.1', () => {
    expect(fixtures.map((fixture) => fixture.case).sort()).toEqual(['cancel-ha', 'cancel-nonha', 'fail-ha', 'fail-nonha', 'finish-ha', 'finish-nonha', 'restart-ha', 'restart-nonha', 'start']);
    expect(new Set(fixtures.map((fixture) => fixture.flink))).toEqual(new Set(['1.18.1']));
  });

  test('application mode without HA runs the job under a new id after a restart; with HA under the same', () => {
    const ids = (fixture: FlinkFixture) => [...new Set(fixture.timeline.flatMap((entry) => jobsOf(entry).map((job) => job.jid)))];
    expect(ids(byCase('restart-nonha'))).toHaveLength(2);
    expect(ids(byCase('restart-ha'))).toHaveLength(1);
    expect(byCase('restart-nonha').snapshots['GET /jobs/<old jid>']?.status).toBe(404);
  });
});

describe('the REST stub answers like Flink 1.18.1', () => {
  test.for(fixtures.filter((fixture) => fixture.action !== 'none').map((fixture) => [fixture.case, fixture] as const))('%s: the states a poller can see, in the same order', async ([, fixture]) => {
    const stub = await stubFor(fixture);
    closers.push(stub.close);
    const real = visible(segments(fixture.timeline, 0), MIN_VISIBLE_MS);
    expect(visible(segments(stub.timeline), MIN_VISIBLE_MS)).toEqual(real);
    // a restart through every recovery step: refused, 503, (no job yet), INITIALIZING, RUNNING
    if (fixture.action === 'restart') expect(real).toEqual(fixture.ha ? ['refused', 'unavailable', 'INITIALIZING', 'RUNNING'] : ['refused', 'unavailable', 'none', 'INITIALIZING', 'RUNNING']);
    else expect(real.slice(-2)).toEqual([fixture.action === 'cancel' ? 'CANCELED' : fixture.action === 'fail' ? 'FAILED' : 'FINISHED', 'refused']);
  });

  test.for([
    ['without HA', 'restart-nonha', 2],
    ['with HA', 'restart-ha', 1],
  ] as const)('a restart %s: the job ids the stub lists are as many as real Flink listed (%s)', async ([, name, count]) => {
    const stub = await stubFor(byCase(name));
    closers.push(stub.close);
    expect(new Set(stub.timeline.flatMap((entry) => jobsOf(entry).map((job) => job.jid))).size).toBe(count);
  });

  test.for(fixtures.map((fixture) => [fixture.case, fixture] as const))('%s: every /jobs/overview answer has the shape of the stub’s answer in the same state', async ([, fixture]) => {
    const stub = await stubFor({ ...fixture, action: fixture.action === 'none' ? 'restart' : fixture.action });
    closers.push(stub.close);
    const stubShapes = new Map(stub.timeline.filter((entry) => entry.status !== undefined).map((entry) => [label(entry), shape(entry.body)]));
    const checked = fixture.timeline.filter((entry) => entry.status !== undefined && stubShapes.has(label(entry)));
    expect(checked.length).toBeGreaterThan(0);
    for (const entry of checked) expect({ state: label(entry), shape: shape(entry.body) }).toEqual({ state: label(entry), shape: stubShapes.get(label(entry)) });
  });

  test('/overview, /config, the cancel call and an unknown job: same status, same shape', async () => {
    const stub = await stubTimeline(defaultApp(false), () => {}, 0);
    closers.push(stub.close);
    const start = byCase('start');
    for (const path of ['/overview', '/config']) {
      const real = start.snapshots[`GET ${path}`]!;
      const ours = await httpAnswer(stub.port, path);
      expect({ path, status: ours.status, shape: shape(ours.body) }).toEqual({ path, status: real.status, shape: shape(real.body) });
    }
    const unknown = await httpAnswer(stub.port, `/jobs/${'0'.repeat(32)}?mode=cancel`, 'PATCH');
    const realUnknown = start.snapshots['PATCH /jobs/<unknown>?mode=cancel']!;
    expect({ status: unknown.status, shape: shape(unknown.body) }).toEqual({ status: realUnknown.status, shape: shape(realUnknown.body) });
    const cancel = await httpAnswer(stub.port, `/jobs/${defaultApp(false).jobs[0]!.jobId}?mode=cancel`, 'PATCH');
    const realCancel = byCase('cancel-nonha').snapshots['PATCH /jobs/<jid>?mode=cancel']!;
    expect({ status: cancel.status, body: cancel.body }).toEqual({ status: realCancel.status, body: realCancel.body });
  });

  test('GET /jobs and GET /jobs/<jid> of a running job, and of an unknown one: same status, same shape', async () => {
    const stub = await stubTimeline(defaultApp(false), () => {}, 0);
    closers.push(stub.close);
    const start = byCase('start');
    const jid = defaultApp(false).jobs[0]!.jobId;
    for (const [path, recorded] of [['/jobs', 'GET /jobs'], [`/jobs/${jid}`, 'GET /jobs/<jid>'], [`/jobs/${'0'.repeat(32)}`, 'GET /jobs/<unknown>']] as const) {
      const real = start.snapshots[recorded] ?? expect.unreachable(`${recorded} was not recorded`);
      const ours = await httpAnswer(stub.port, path);
      expect({ path, status: ours.status, shape: shape(ours.body) }).toEqual({ path, status: real.status, shape: shape(real.body) });
    }
    expect(start.snapshots['GET /jobs/<unknown>']?.status).toBe(404);
  });

  test.for([
    ['fail-ha', 'FAILED'],
    ['finish-ha', 'FINISHED'],
  ] as const)('a cancel of a job that ended otherwise, before its application cluster shuts down (%s): what Flink answered', async ([name, state]) => {
    const real = byCase(name).snapshots[`PATCH /jobs/<jid>?mode=cancel after ${state}`] ?? expect.unreachable('not recorded');
    expect(real.status).toBe(202); // the JobManagerRunner is still registered: JobMaster.cancel acknowledges, nothing changes
    const stub = await stubTimeline(defaultApp(false), (cluster) => (state === 'FAILED' ? cluster.failJob(defaultApp(false).jobs[0]!.name) : cluster.finishJob(defaultApp(false).jobs[0]!.name)), 0);
    closers.push(stub.close);
    const ours = await httpAnswer(stub.port, `/jobs/${defaultApp(false).jobs[0]!.jobId}?mode=cancel`, 'PATCH');
    expect({ status: ours.status, body: ours.body }).toEqual({ status: real.status, body: real.body });
  });

  test('while the JobManager waits for its leadership every path answers 503, /config included, with no Retry-After', async () => {
    const recorded = fixtures.map((fixture) => fixture.snapshots['GET /config during leader election']).filter((answer) => answer !== undefined);
    expect(recorded.length).toBeGreaterThan(0);
    const election = byCase('restart-ha').snapshots['GET /jobs/overview during leader election'] ?? expect.unreachable('not recorded');
    for (const answer of [...recorded, election]) {
      expect(answer.status).toBe(503);
      expect(answer.headers).toBeDefined();
      expect(Object.keys(answer.headers!)).not.toContain('retry-after');
    }
    const app = parseScenario('name: election\nduration: 1m\napp: { recovery: [{ state: unavailable, for: 10s }] }\n', 'election.yaml').app;
    const stub = await stubTimeline(app, (cluster) => {
      cluster.jobManagerDown();
      cluster.jobManagerUp();
    }, 0);
    closers.push(stub.close);
    for (const path of ['/config', '/jobs/overview', '/overview', '/jobs']) {
      const ours = await httpAnswer(stub.port, path);
      expect({ path, status: ours.status, body: ours.body }).toEqual({ path, status: 503, body: recorded[0]!.body });
    }
  });

  test('503 while the JobManager waits for its leadership: the same body', async () => {
    const real = byCase('restart-ha').timeline.find((entry) => entry.status === 503)!;
    const stub = await stubFor(byCase('restart-ha'));
    closers.push(stub.close);
    expect(stub.timeline.find((entry) => entry.status === 503)?.body).toEqual(real.body);
  });
});

describe('the scenario defaults match the recorded durations (tolerance 1 s)', () => {
  test.for([
    ['without HA', 'restart-nonha'],
    ['with HA', 'restart-ha'],
    ['without HA, first start', 'start'],
  ] as const)('app.recovery %s (%s): each step, REST answering to RUNNING', ([, name]) => {
    const fixture = byCase(name);
    const recovery = defaultApp(fixture.ha).recovery;
    const all = segments(fixture.timeline, fixture.action === 'restart' ? 0 : -Infinity);
    const firstAnswer = all.findIndex((segment) => segment.label !== 'refused');
    const steps = all.slice(firstAnswer, all.findIndex((segment) => segment.label === 'RUNNING'));
    expect(steps.map((segment) => segment.label)).toEqual(recovery.map((step) => step.state));
    for (const [index, step] of recovery.entries()) {
      const recorded = steps[index]!.ms!;
      expect({ step: step.state, off: Math.abs(recorded - step.forMs) <= TOLERANCE_MS }).toEqual({ step: step.state, off: true });
    }
  });

  test.for(fixtures.filter((fixture) => ['cancel', 'fail', 'finish'].includes(fixture.action)).map((fixture) => [fixture.case, fixture] as const))('app.shutdownDelay (%s): from the end state to the REST endpoint gone', ([, fixture]) => {
    const all = segments(fixture.timeline, 0);
    const end = all.findIndex((segment) => ['CANCELED', 'FAILED', 'FINISHED'].includes(segment.label));
    const gone = all.findIndex((segment, index) => index > end && segment.label === 'refused');
    const recorded = all[gone]!.fromMs - all[end]!.fromMs;
    expect(Math.abs(recorded - DEFAULT_SHUTDOWN_DELAY_MS)).toBeLessThanOrEqual(TOLERANCE_MS);
  });
});
