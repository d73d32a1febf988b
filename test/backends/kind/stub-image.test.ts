// The REST stub image without Docker: the files the Dockerfile copies, run as a process from a
// folder laid out as in the image, watched by the kind backend's container-side Flink view. What
// only a real kind node adds (the kubelet restarting the container, NodePorts) is not covered here.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BackendError } from '../../../src/backends/backend.ts';
import { containerFlink } from '../../../src/backends/kind/container-flink.ts';
import { STUB_DOCKERFILE, STUB_IMAGE_FILES } from '../../../src/backends/kind/image.ts';
import { CRASH_EXIT_CODE, CRASH_LOOP_FILE, RESTART_UNTIL_FILE, STARTS_FILE, STUB_ENV, readStubConfig } from '../../../src/backends/kind/stub/protocol.ts';
import { restartedJobId } from '../../../src/backends/flink/flink-cluster.ts';
import type { FlinkSide } from '../../../src/backends/shared/flink-side.ts';
import { freeLocalPort } from '../../../src/backends/shared/toxiproxy/free-port.ts';
import type { ScenarioApp } from '../../../src/scenario/types.ts';

const root = new URL('../../..', import.meta.url).pathname;
const JOB_ID = '0123456789abcdef0123456789abcdef';
const app: ScenarioApp = {
  clusterId: 'flink-demo',
  namespace: 'default',
  mode: 'application',
  jobs: [{ name: 'job', jobId: JOB_ID }],
  recovery: [{ state: 'none', forMs: 600 }, { state: 'INITIALIZING', forMs: 1_000 }, { state: 'CREATED', forMs: 600 }],
  archive: 'fs-dir',
  pods: [],
  ha: false,
  fixedJobId: true,
  shutdownDelayMs: 2_000,
};
const SCALE = 0.5; // recovery takes 1.1 s of wall time: long enough for 100 ms polls to see each step

/** COPY sources of the Dockerfile (every token but the destination). */
function copiedFiles(dockerfile: string): string[] {
  return dockerfile.split('\n').filter((line) => line.startsWith('COPY ')).flatMap((line) => line.split(/\s+/).slice(1, -1));
}

test('the Dockerfile copies exactly the files the image tag is hashed from, and its .dockerignore lets exactly those through', async () => {
  const dockerfile = await readFile(join(root, STUB_DOCKERFILE), 'utf8');
  expect(copiedFiles(dockerfile).sort()).toEqual([...STUB_IMAGE_FILES].sort());
  const ignore = (await readFile(join(root, `${STUB_DOCKERFILE}.dockerignore`), 'utf8')).split('\n').filter((line) => line && !line.startsWith('#'));
  expect(ignore[0]).toBe('*');
  expect(ignore.slice(1).map((line) => line.replace(/^!/, '')).sort()).toEqual([...STUB_IMAGE_FILES].sort());
});

test.for([
  [{}, /STATUSCHAOS_STUB_APP is not set/],
  [{ [STUB_ENV.app]: '{not json' }, /STATUSCHAOS_STUB_APP is not JSON/],
  [{ [STUB_ENV.app]: JSON.stringify(app), [STUB_ENV.timeScale]: '0' }, /STATUSCHAOS_STUB_TIME_SCALE must be a positive number, got `0`/],
  [{ [STUB_ENV.app]: JSON.stringify(app), [STUB_ENV.startDelayMs]: '-1' }, /STATUSCHAOS_STUB_START_DELAY_MS must be a non-negative number/],
] as const)('the stub refuses a bad environment: %j', ([env, message]) => {
  expect(() => readStubConfig(env)).toThrow(message);
});

describe('the stub image, run as a process, watched as the kind backend watches it', () => {
  let dir: string;
  let imageDir: string;
  let stateDir: string;
  let restPort: number;
  let controlPort: number;
  let stub: ResultPromise | undefined;
  const log: string[] = [];
  let flink: FlinkSide;
  const seen: string[] = [];
  let shutdowns = 0;

  /** Start the entry point as the image would (same files, same layout, `node src/backends/kind/stub/main.ts`). */
  const startStub = () => {
    stub = execa(process.execPath, ['src/backends/kind/stub/main.ts'], {
      cwd: imageDir,
      env: {
        [STUB_ENV.app]: JSON.stringify(app),
        [STUB_ENV.timeScale]: String(SCALE),
        [STUB_ENV.startDelayMs]: '300',
        [STUB_ENV.stateDir]: stateDir,
        [STUB_ENV.host]: '127.0.0.1',
        [STUB_ENV.restPort]: String(restPort),
        [STUB_ENV.controlPort]: String(controlPort),
      },
      extendEnv: false,
      reject: false,
      cleanup: true,
    });
    stub.stdout!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  };
  const restAnswers = async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${restPort}/jobs/overview`, { signal: AbortSignal.timeout(500) });
      return ((await response.json()) as { jobs: { state: string }[] }).jobs.map((job) => job.state);
    } catch {
      return 'refused';
    }
  };
  const eventually = async (what: string, probe: () => boolean, timeoutMs = 10_000) => {
    const deadline = performance.now() + timeoutMs;
    while (!probe()) {
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}; stub said:\n${log.join('')}`);
      await sleep(20);
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'statuschaos-stub-image-'));
    imageDir = join(dir, 'app');
    stateDir = join(dir, 'statuschaos');
    await mkdir(stateDir);
    for (const file of STUB_IMAGE_FILES) {
      await mkdir(join(imageDir, dirname(file)), { recursive: true });
      await writeFile(join(imageDir, file), await readFile(join(root, file)));
    }
    await writeFile(join(imageDir, 'package.json'), '{ "type": "module", "private": true }\n'); // as the Dockerfile's RUN does
    [restPort, controlPort] = [await freeLocalPort(), await freeLocalPort()];
    startStub();
    flink = await containerFlink(
      { app, clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} }, onChange: () => seen.push(`${flink?.isServing() ? 'serving' : 'down'} ${JSON.stringify(flink?.jobStates())}`), onShutdown: () => void shutdowns++ },
      { restAddress: `127.0.0.1:${restPort}`, controlAddress: `127.0.0.1:${controlPort}` },
    );
  });
  afterAll(async () => {
    await flink?.close();
    stub?.kill('SIGKILL');
    await stub;
    await rm(dir, { recursive: true, force: true });
  });

  test('a fresh start: down for the start delay, then the recovery states, then RUNNING; ready() waits for it', async () => {
    expect(await restAnswers()).toBe('refused');
    await flink.ready();
    expect(flink.isServing()).toBe(true);
    expect(flink.jobStates()).toEqual({ job: 'RUNNING' });
    expect(await restAnswers()).toEqual(['RUNNING']);
    expect(flink.upstream).toBe(`127.0.0.1:${restPort}`);
    const states = seen.filter((entry) => entry.startsWith('serving')).map((entry) => JSON.parse(entry.slice('serving '.length)).job as string);
    expect(states.filter((state, index) => state !== states[index - 1])).toEqual(['not listed', 'INITIALIZING', 'CREATED', 'RUNNING']);
  });

  test('a restart: SIGTERM ends it with 143; the next process stays down until the deadline left in the state folder, then recovers', async () => {
    const downtimeMs = 1_200;
    const killedAt = Date.now();
    // what restartShellCommand does in the container, without `kill 1` on this machine
    await writeFile(join(stateDir, RESTART_UNTIL_FILE), String(killedAt + downtimeMs));
    stub!.kill('SIGTERM');
    expect((await stub!).exitCode).toBe(143);
    await eventually('the watcher to see it down', () => !flink.isServing());
    startStub();
    await sleep(downtimeMs / 2);
    expect(await restAnswers()).toBe('refused');
    await eventually('serving again', () => flink.isServing());
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(downtimeMs - 20);
    expect(flink.jobStates()).not.toEqual({ job: 'RUNNING' }); // recovering, not RUNNING at once
    await flink.ready();
    await expect(stat(join(stateDir, RESTART_UNTIL_FILE))).rejects.toThrow(); // consumed: a later crash uses the start delay
  });

  test('fail-job through the control endpoint: FAILED, archived, then application mode shuts the cluster down', async () => {
    await flink.failJob('job');
    expect(flink.jobStates()).toEqual({ job: 'FAILED' });
    expect(flink.archivedState(JOB_ID, 'fs-dir')).toBe('FAILED');
    await eventually('the shutdown', () => shutdowns === 1, 5_000);
    expect(flink.isServing()).toBe(false);
    expect(await restAnswers()).toBe('refused');
    await expect(flink.finishJob('no-such-job')).rejects.toThrow(/answered 404: .*no job named no-such-job/);
  });

  test('the real-Flink view reads /jobs/overview and cannot fail a job', async () => {
    stub!.kill('SIGTERM');
    await stub;
    startStub(); // a fresh process: serving again after the start delay
    const real = await containerFlink({ app, clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} }, onChange: () => {}, onShutdown: () => {} }, { restAddress: `127.0.0.1:${restPort}`, controlAddress: undefined });
    try {
      await real.ready();
      expect(real.jobStates()).toEqual({ job: 'RUNNING' });
      const error = await real.failJob('job').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as Error).message).toContain('fail-job needs the REST stub image');
    } finally {
      await real.close();
    }
  });
});

describe('the stub image counts its container\'s starts and crash-loops when told', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'statuschaos-stub-starts-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Run the entry point from the repository with `stateDir`; resolves with its exit and output once `until` says so (or it exits). */
  const runStub = async (stateDir: string, appOverride: Partial<ScenarioApp>, until: (answer: unknown) => boolean) => {
    const [restPort, controlPort] = [await freeLocalPort(), await freeLocalPort()];
    const stub = execa(process.execPath, [join(root, 'src/backends/kind/stub/main.ts')], {
      env: { [STUB_ENV.app]: JSON.stringify({ ...app, recovery: [], ...appOverride }), [STUB_ENV.stateDir]: stateDir, [STUB_ENV.host]: '127.0.0.1', [STUB_ENV.restPort]: String(restPort), [STUB_ENV.controlPort]: String(controlPort) },
      extendEnv: false,
      reject: false,
    });
    let exited = false;
    void stub.then(() => (exited = true));
    let answer: unknown;
    for (let tries = 0; tries < 200 && !exited; tries++) {
      answer = await fetch(`http://127.0.0.1:${restPort}/jobs/overview`, { signal: AbortSignal.timeout(500) }).then((response) => response.json(), () => undefined);
      if (answer !== undefined && until(answer)) break;
      await sleep(50);
    }
    if (!exited) stub.kill('SIGTERM');
    return { result: await stub, answer };
  };

  test('a container restart without a fixed job id: the restarted process runs the job under the id Flink\'s restart gives it', async () => {
    const stateDir = join(dir, 'restart');
    await mkdir(stateDir);
    const ids = (answer: unknown) => ((answer as { jobs?: { jid: string }[] }).jobs ?? []).map((job) => job.jid);
    const first = await runStub(stateDir, { fixedJobId: false }, (answer) => ids(answer).length > 0);
    expect(ids(first.answer)).toEqual([JOB_ID]); // the pod's first start: the configured id
    const second = await runStub(stateDir, { fixedJobId: false }, (answer) => ids(answer).length > 0);
    expect(ids(second.answer)).toEqual([restartedJobId('job', 1)]);
    expect(await readFile(join(stateDir, STARTS_FILE), 'utf8')).toBe('2');
  });

  test('after the crash-loop mark every start exits at once with 1 (the kubelet then backs off)', async () => {
    const stateDir = join(dir, 'crash');
    await mkdir(stateDir);
    await writeFile(join(stateDir, CRASH_LOOP_FILE), '');
    const { result } = await runStub(stateDir, {}, () => true);
    expect(result.exitCode).toBe(CRASH_EXIT_CODE);
    expect(result.stdout).toContain('crash loop: exiting with 1 at start');
  });
});
