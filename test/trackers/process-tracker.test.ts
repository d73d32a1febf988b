// The external-process adapter, without Java: small tracker programs (written here, run by the
// Node that runs the tests) that behave, crash, hang, print garbage or leave children behind.
// Each is judged the way a real tracker would be: writes land in the report in scenario time, a
// broken tracker is failed with its stderr's tail, and nothing it started outlives stop().
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, test } from 'vitest';
import { STREAMPARK_TIMING } from '../../src/models/timing.ts';
import { isAlive } from '../../src/processes/processes.ts';
import { processTracker } from '../../src/trackers/process/process-tracker.ts';
import type { RunningTracker, TrackerContext } from '../../src/trackers/tracker.ts';
import { STREAMPARK } from '../../src/systems/streampark.ts';

const dir = mkdtempSync(join(tmpdir(), 'statuschaos-process-tracker-'));
const started: RunningTracker[] = [];
afterAll(async () => {
  for (const tracker of started) await tracker.stop();
});

/** A tracker program: `body` runs after hello, with `send(message)` and `on(type, handler)`. */
function program(name: string, body: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { createInterface } from 'node:readline';
const send = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
const handlers = {};
const on = (type, fn) => (handlers[type] = fn);
createInterface({ input: process.stdin }).on('line', (line) => { const m = JSON.parse(line); handlers[m.type]?.(m); });
${body}
`,
  );
  return file;
}

const HELLO = `send({ type: 'hello', protocol: 1, tracker: 'test', version: 'test tracker 1' });`;
const READY_ON_SETUP = `on('setup', (m) => { globalThis.setup = m; send({ type: 'ready', at: Date.now() }); });`;

interface Recorded {
  writes: { appId: string; state: string; at: number | undefined }[];
  events: { type: string; fields: Record<string, unknown> }[];
  failure: { reason: string; detail: string | undefined } | undefined;
}

function context(recorded: Recorded, overrides: Partial<TrackerContext> = {}): TrackerContext {
  const origin = performance.now();
  return {
    variant: 'test',
    apps: [{ appId: 'job', mode: 'application', namespace: 'ns', clusterId: 'flink', jobId: 'a'.repeat(32), state: 'RUNNING', tracking: 1 }],
    clock: { now: () => performance.now() - origin, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout) },
    timing: STREAMPARK_TIMING,
    timeScale: 1,
    report: {
      write: ({ appId, state, at }) => void recorded.writes.push({ appId, state, at }),
      alert: () => {},
      poll: () => {},
      event: (type, fields) => void recorded.events.push({ type, fields }),
      fail: (reason, detail) => void (recorded.failure ??= { reason, detail }),
    },
    ports: () => {
      throw new Error('a process tracker has no ports');
    },
    endpoints: { kubeconfig: '/nonexistent', apiServer: 'https://127.0.0.1:1', flinkRest: 'http://127.0.0.1:1' },
    workDir: mkdtempSync(join(dir, 'work-')),
    env: process.env,
    ...overrides,
  };
}

async function start(file: string, recorded: Recorded, spec: { startTimeoutMs?: number; stopTimeoutMs?: number } = {}): Promise<RunningTracker> {
  const tracker = await processTracker({ states: STREAMPARK.states, command: () => ({ file: process.execPath, args: [file] }), ...spec })(context(recorded));
  started.push(tracker);
  return tracker;
}

const fresh = (): Recorded => ({ writes: [], events: [], failure: undefined });
/** Wait for what a test waits for; no deadline of its own (the test's timeout guards against a hang). */
const until = async (what: () => boolean) => {
  while (!what()) await sleep(20);
};

describe('a tracker process that speaks the protocol', () => {
  test('its writes reach the report in scenario time, from its own timestamps, once it has begun', async () => {
    const recorded = fresh();
    const file = program('good', `${HELLO}\n${READY_ON_SETUP}\non('start', (m) => { send({ type: 'write', at: m.epochMs + 250, appId: 'job', state: 'FAILED', tracking: 0, cause: 'test' }); });`);
    const tracker = await start(file, recorded);
    expect(tracker.version).toBe('test tracker 1');
    expect(recorded.writes).toEqual([]); // ready, not yet begun
    tracker.begin();
    await until(() => recorded.writes.length > 1);
    // the stored row as the console shows it at time 0, then what the tracker wrote
    expect(recorded.writes.map((write) => write.state)).toEqual(['RUNNING', 'FAILED']);
    // its own timestamp (epoch + 250 ms), never later than when it arrived
    expect(recorded.writes[1]!.at).toBeGreaterThan(0);
    expect(recorded.writes[1]!.at).toBeLessThanOrEqual(250);
    // its start's figures at scenario time 0, and its peak memory once stopped (bench:live reads them)
    const started = recorded.events.find((event) => event.type === 'process.started')!.fields;
    expect(started).toMatchObject({ restart: false });
    expect(started.readyWallMs).toBeGreaterThanOrEqual(started.helloWallMs as number);
    await tracker.stop();
    expect(recorded.events.find((event) => event.type === 'process.memory')!.fields.peakRssKiB).toBeGreaterThan(1024);
    expect(recorded.failure).toBeUndefined();
  });

  test('a console restart kills it and starts another with the rows it persisted', async () => {
    const recorded = fresh();
    const file = program(
      'restarts',
      `${HELLO}
on('setup', (m) => { globalThis.setup = m; send({ type: 'ready', at: Date.now() }); });
on('start', () => {
  const row = globalThis.setup.apps[0];
  if (globalThis.setup.restart) send({ type: 'event', at: Date.now(), name: 'restarted-with', detail: row.state + '/' + row.tracking });
  else send({ type: 'write', at: Date.now(), appId: 'job', state: 'FAILED', tracking: 0, cause: 'first life' });
});`,
    );
    const tracker = await start(file, recorded);
    tracker.begin();
    await until(() => recorded.writes.some((write) => write.state === 'FAILED'));
    tracker.send({ type: 'console.restart', downtimeMs: 100 });
    await until(() => recorded.events.some((event) => event.type === 'restarted-with'));
    expect(recorded.events.find((event) => event.type === 'restarted-with')?.fields.detail).toBe('FAILED/0');
    expect(recorded.events.map((event) => event.type)).toContain('console.killed');
    expect(recorded.events.filter((event) => event.type === 'process.started').map((event) => event.fields.restart)).toEqual([false, true]);
    // the restarted console shows the stored row again before it learns anything
    expect(recorded.writes.map((write) => write.state)).toEqual(['RUNNING', 'FAILED', 'FAILED']);
    expect(recorded.failure).toBeUndefined();
  });
});

describe('a tracker that cannot be trusted is failed, with its stderr', () => {
  test('never says hello: failed at the start timeout', async () => {
    const recorded = fresh();
    const file = program('silent', `console.error('starting up, slowly'); setInterval(() => {}, 1000);`);
    // long enough for its first stderr line to come in even on a loaded machine (the failure itself does not depend on it)
    await start(file, recorded, { startTimeoutMs: 10_000 });
    expect(recorded.failure?.reason).toMatch(/did not start: sent no `hello` within 10 s/);
    expect(recorded.failure?.detail).toContain('starting up, slowly');
  });

  test('crashes before it is ready', async () => {
    const recorded = fresh();
    const file = program('crash', `${HELLO}\non('setup', () => { console.error('java.lang.NoClassDefFoundError: org/json4s/Formats'); process.exit(7); });`);
    await start(file, recorded);
    expect(recorded.failure?.reason).toMatch(/exited with code 7 before it sent `ready`/);
    expect(recorded.failure?.detail).toContain('NoClassDefFoundError');
  });

  test('prints garbage on stdout while tracking', async () => {
    const recorded = fresh();
    const file = program('garbage', `${HELLO}\n${READY_ON_SETUP}\non('start', () => console.log('12:00:01 INFO  logging to stdout by mistake'));`);
    const tracker = await start(file, recorded);
    tracker.begin();
    await until(() => recorded.failure !== undefined);
    expect(recorded.failure?.reason).toMatch(/not the protocol \(not JSON\): "12:00:01 INFO/);
  });

  test('writes a state its console does not have, or for an app it was not given', async () => {
    const recorded = fresh();
    const file = program('unknown-state', `${HELLO}\n${READY_ON_SETUP}\non('start', () => send({ type: 'write', at: Date.now(), appId: 'job', state: 'HAPPY', tracking: 1, cause: 'x' }));`);
    const tracker = await start(file, recorded);
    tracker.begin();
    await until(() => recorded.failure !== undefined);
    expect(recorded.failure?.reason).toMatch(/wrote `HAPPY`, which is no state of its console/);
  });

  test('dies while tracking', async () => {
    const recorded = fresh();
    const file = program('dies', `${HELLO}\n${READY_ON_SETUP}\non('start', () => setTimeout(() => process.exit(3), 50));`);
    const tracker = await start(file, recorded);
    tracker.begin();
    await until(() => recorded.failure !== undefined);
    expect(recorded.failure?.reason).toMatch(/its process exited with code 3 while tracking/);
  });
});

describe('nothing a tracker started outlives stop()', () => {
  test('a tracker that ignores `stop` is killed with its children after the grace', async () => {
    const recorded = fresh();
    const file = program(
      'stubborn',
      `import { spawn } from 'node:child_process';
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
${HELLO}
on('setup', () => send({ type: 'ready', at: Date.now() }));
on('start', () => send({ type: 'event', at: Date.now(), name: 'child', detail: String(child.pid) }));
process.stdin.on('end', () => {}); // stays, whatever the harness says
on('stop', () => {});`,
    );
    const tracker = await start(file, recorded, { stopTimeoutMs: 500 });
    tracker.begin();
    await until(() => recorded.events.some((event) => event.type === 'child'));
    const child = Number(recorded.events.find((event) => event.type === 'child')!.fields.detail);
    expect(isAlive(child)).toBe(true);
    await tracker.stop();
    await until(() => !isAlive(child));
    expect(isAlive(child)).toBe(false);
    expect(recorded.events.map((event) => event.type)).toContain('stop.killed');
  });
});
