// The Flink side after a JobManager restart: which job id the job comes back under (Flink's
// ApplicationDispatcherBootstrap: a random id without HA and without $internal.pipeline.job-id,
// the same id with either), and a session cluster without HA coming back without its jobs.
import { describe, expect, test } from 'vitest';
import { cancelAnswer, FlinkCluster, restartedJobId } from '../../../src/backends/flink/flink-cluster.ts';
import { VirtualClock } from '../../../src/backends/sim/virtual-clock.ts';
import type { ScenarioApp } from '../../../src/scenario/types.ts';

const app = (overrides: Partial<ScenarioApp>): ScenarioApp => ({
  clusterId: 'flink-demo', namespace: 'default', mode: 'application', jobs: [{ name: 'job', jobId: 'j1' }],
  recovery: [], archive: 'none', pods: [], ha: false, fixedJobId: true, shutdownDelayMs: 3_000, ...overrides,
});

async function restartTwice(overrides: Partial<ScenarioApp>) {
  const clock = new VirtualClock();
  const flink = new FlinkCluster(app(overrides), clock, { onChange: () => {}, onShutdown: () => {} });
  const ids: string[][] = [flink.overview().jobs.map((job) => job.jid)];
  for (const at of [1_000, 2_000]) {
    flink.jobManagerDown();
    flink.jobManagerUp();
    await clock.runUntil(at);
    ids.push(flink.overview().jobs.map((job) => job.jid));
  }
  return { flink, ids };
}

describe('job ids across JobManager restarts', () => {
  test.for([
    { name: 'StreamPark application (fixed id at submit), no HA: same id', overrides: {}, ids: [['j1'], ['j1'], ['j1']] },
    { name: 'application with HA: same id', overrides: { ha: true, fixedJobId: false }, ids: [['j1'], ['j1'], ['j1']] },
    { name: 'application without HA and without a fixed id: a new id every start', overrides: { fixedJobId: false }, ids: [['j1'], [restartedJobId('job', 1)], [restartedJobId('job', 2)]] },
    { name: 'session with HA: the jobs are recovered', overrides: { mode: 'session' as const, ha: true, jobs: [{ name: 'a', jobId: 'ja' }, { name: 'b', jobId: 'jb' }] }, ids: [['ja', 'jb'], ['ja', 'jb'], ['ja', 'jb']] },
    { name: 'session without HA: the cluster comes back without its jobs', overrides: { mode: 'session' as const, jobs: [{ name: 'a', jobId: 'ja' }, { name: 'b', jobId: 'jb' }] }, ids: [['ja', 'jb'], [], []] },
  ])('$name', async ({ overrides, ids }) => {
    expect((await restartTwice(overrides)).ids).toEqual(ids);
  });

  test('the new ids differ from each other and look like Flink JobIDs', () => {
    expect(restartedJobId('job', 1)).toMatch(/^[0-9a-f]{32}$/);
    expect(restartedJobId('job', 1)).not.toBe(restartedJobId('job', 2));
  });

  test('a session job lost with its JobManager shows as not listed, and a cancel of it finds nothing', async () => {
    const { flink } = await restartTwice({ mode: 'session', jobs: [{ name: 'a', jobId: 'ja' }] });
    expect(flink.jobStates()).toEqual({ a: 'not listed' });
    expect(flink.cancelJob('ja')).toEqual({ kind: 'not-found' });
  });

  test('a cancel with the id from before the restart is "not found" when the id changed', async () => {
    const { flink } = await restartTwice({ fixedJobId: false });
    expect(flink.cancelJob('j1')).toEqual({ kind: 'not-found' });
    expect(flink.cancelJob(restartedJobId('job', 2))).toEqual({ kind: 'accepted' });
  });
});

// Issue 21 item 3: a cancel as Flink 1.18.1's Dispatcher.cancelJob and JobCancellationHandler answer it.
describe('a cancel, by what became of the job', () => {
  const cluster = () => {
    const clock = new VirtualClock();
    return { clock, flink: new FlinkCluster(app({ shutdownDelayMs: 60_000 }), clock, { onChange: () => {}, onShutdown: () => {} }) };
  };

  test('running: accepted (202), CANCELLING then CANCELED; a second cancel is accepted too', async () => {
    const { clock, flink } = cluster();
    expect(cancelAnswer(flink.cancelJob('j1'))).toEqual({ status: 202 });
    expect(flink.jobStates()).toEqual({ job: 'CANCELLING' });
    await clock.runUntil(1_000);
    expect(flink.jobStates()).toEqual({ job: 'CANCELED' });
    expect(cancelAnswer(flink.cancelJob('j1'))).toEqual({ status: 202 });
  });

  test.for([
    ['failed', 'FAILED'],
    ['finished', 'FINISHED'],
  ] as const)('%s, application mode: acknowledged (202) until the cluster shuts down, and nothing changes', ([, state]) => {
    const { flink } = cluster();
    if (state === 'FAILED') flink.failJob('job');
    else flink.finishJob('job');
    expect(cancelAnswer(flink.cancelJob('j1'))).toEqual({ status: 202 });
    expect(flink.jobStates()).toEqual({ job: state });
  });

  test.for([
    ['failed', 'FAILED'],
    ['finished', 'FINISHED'],
  ] as const)('%s, session mode (only its archive left): refused with 409, naming the state it reached', ([, state]) => {
    const flink = new FlinkCluster(app({ mode: 'session', jobs: [{ name: 'a', jobId: 'ja' }] }), new VirtualClock(), { onChange: () => {}, onShutdown: () => {} });
    if (state === 'FAILED') flink.failJob('a');
    else flink.finishJob('a');
    expect(flink.cancelJob('ja')).toEqual({ kind: 'ended-otherwise', state });
    expect(cancelAnswer(flink.cancelJob('ja'))).toEqual({ status: 409, message: `Job cancellation failed because the job has already reached another terminal state (${state}).` });
    expect(flink.jobStates()).toEqual({ a: state });
  });

  test('unknown, or not yet listed while the JobManager recovers it: 404 "Job could not be found."', () => {
    const { flink } = cluster();
    expect(cancelAnswer(flink.cancelJob('0'.repeat(32)))).toEqual({ status: 404, message: 'Job could not be found.' });
    const recovering = new FlinkCluster(app({ recovery: [{ state: 'none', forMs: 5_000 }] }), new VirtualClock(), { onChange: () => {}, onShutdown: () => {} });
    recovering.jobManagerDown();
    recovering.jobManagerUp();
    expect(recovering.cancelJob('j1')).toEqual({ kind: 'not-found' });
    expect(recovering.job('j1')).toBeUndefined();
  });

  test('GET /jobs/:jid finds the job this JobManager runs, in its state', () => {
    const { flink } = cluster();
    expect(flink.job('j1')).toEqual({ jid: 'j1', name: 'job', state: 'RUNNING' });
    expect(flink.job('j2')).toBeUndefined();
  });
});
