// Stopping a run: Ctrl-C (130) and SIGTERM (143) stop a simulation before the scenario it is in
// ends (docs/limits.md has the measured time; nothing here is timed: the machine may be loaded) and
// keep what finished; SIGTERM through npx (which does not pass it on) still stops the CLI, which sees
// its parent go; a second signal gives up on the cleanup and says what is left. (A live run's
// stop and cleanup: test/backends/local/interrupt.live.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { noteStarted } from '../../src/processes/leftovers.ts';
import { Interrupted, handleInterrupts, interruptedExitCode } from '../../src/cli/signals.ts';
import { readRunRecord } from '../../src/record/store.ts';
import { findProcesses } from '../support/processes.ts';

const root = new URL('../..', import.meta.url).pathname;

/** What the tests started, killed afterwards should an assertion fail half-way. */
const started: { child: ChildProcess; out: string }[] = [];
afterEach(async () => {
  for (const { child, out } of started.splice(0)) {
    child.kill('SIGKILL');
    for (const pid of await nodesWritingTo(out)) process.kill(pid, 'SIGKILL');
  }
});

/** A session scenario that keeps the simulation busy for many seconds of CPU (the largest the limits allow). */
const LONG_SCENARIO = `name: long-session
app: { clusterId: flink-session, mode: session, jobs: [a, b, c, d, e, f, g, h] }
timing: { pollInterval: 1s }
duration: 60m
timeline:
  - at: 10m
    fault: { target: apiserver, toxic: down }
    for: 1m
`;

/**
 * Start the CLI (Node 22, as vitest runs) on a quick scenario then the long one; resolves once the
 * long one runs and the quick one is stored (on the simulation's worker threads both run at once,
 * and on a loaded machine the quick one can still be running when the long one starts).
 */
async function startLongRun(out: string, launcher: (args: string[]) => ChildProcess = (args) => spawn(process.execPath, args, { cwd: root })): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const scenario = join(out, '..', 'long.yaml');
  await writeFile(scenario, LONG_SCENARIO);
  const child = launcher(['bin/statuschaos.js', 'run', '--out', out, '--variants', 'v2.1.3,proposed', join(root, 'scenarios', 'restart-without-fault.yaml'), scenario]);
  started.push({ child, out });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // no deadline: a CLI that never gets there is stopped by the test's timeout, a hang guard
  await new Promise<void>((resolve, reject) => {
    const look = setInterval(() => {
      if (output.includes('long-session: running') && storedRuns(out).includes('"restart-without-fault"')) {
        clearInterval(look);
        setTimeout(resolve, 300); // well inside the simulation's loop
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(look);
      reject(new Error(`the CLI exited (${code}) before the long scenario ran beside a stored quick one:\n${output}`));
    });
  });
  return { child, output: () => output, exited };
}

describe('stopping a simulation run', () => {
  test.for([
    ['SIGINT (Ctrl-C)', 130, 'SIGINT'],
    ['SIGTERM', 143, 'SIGTERM'],
  ] as const)('%s: stops inside the long scenario, exit %i, the finished scenario run kept and run.json says interrupted', async ([, code, signal]) => {
    const out = join(await mkdtemp(join(tmpdir(), 'statuschaos-signal-')), 'out');
    const run = await startLongRun(out);
    run.child.kill(signal);
    expect(await run.exited).toBe(code);
    // the long scenario was cut short, not run to its end: it is not among the stored runs below
    // (how soon the stop comes is a figure for a quiet machine: docs/limits.md)
    expect(run.output()).toContain(`statuschaos: ${signal} while simulating: stopping`);
    expect(run.output()).toContain('statuschaos report');
    expect(run.output()).not.toMatch(/\n\s+at /);
    const record = await readRunRecord(out);
    expect(record.status).toBe('interrupted');
    expect(record.scenarios.map((scenario) => scenario.name)).toEqual(['restart-without-fault']);
  });

  test('SIGTERM to npx (a CI cancel, `timeout`) does not reach node, which sees its parent go and stops: nothing left running', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'statuschaos-signal-')), 'out');
    const run = await startLongRun(out, (args) => spawn('npx', ['node', ...args], { cwd: root }));
    expect(await nodesWritingTo(out)).toHaveLength(1);
    run.child.kill('SIGTERM'); // npx (npm exec) dies; `sh -c node …` does not pass the signal on
    await run.exited;
    // the orphaned CLI exits on its own (a CLI that never does fails by the test's timeout)
    while ((await nodesWritingTo(out)).length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const record = await readRunRecord(out);
    expect(record.status).toBe('interrupted');
    expect(record.scenarios.map((scenario) => scenario.name)).toEqual(['restart-without-fault']);
  });
});

/** results.jsonl so far (one line per stored scenario run), or '' before it exists. */
function storedRuns(out: string): string {
  try {
    return readFileSync(join(out, 'results.jsonl'), 'utf8');
  } catch {
    return '';
  }
}

/** Node processes running the CLI into `out` (a fresh temporary folder: only this test's). */
const nodesWritingTo = (out: string) =>
  findProcesses(async (pid) => (await readFile(`/proc/${pid}/comm`, 'utf8')).trim() === 'node' && (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').includes(out));

describe('handleInterrupts', () => {
  /** The handlers on a fake process: emit signals, change the parent, see what was written and how it exited. */
  function fakeProcess() {
    const events = new EventEmitter();
    let parent = 100;
    const exits: number[] = [];
    let written = '';
    const signal = handleInterrupts({ write: (text: string) => (written += text) }, { events, ppid: () => parent, exit: (code) => exits.push(code) });
    return { events, signal, exits, written: () => written, orphan: () => (parent = 1) };
  }

  test('the first signal aborts with the signal in the reason; exit codes 130 for SIGINT, 143 for SIGTERM', () => {
    const sigint = fakeProcess();
    sigint.events.emit('SIGINT');
    expect(sigint.signal.aborted).toBe(true);
    expect(interruptedExitCode(sigint.signal.reason)).toBe(130);
    const sigterm = fakeProcess();
    sigterm.events.emit('SIGTERM');
    expect(sigterm.signal.reason).toBeInstanceOf(Interrupted);
    expect(interruptedExitCode(sigterm.signal.reason)).toBe(143);
    expect(sigint.exits).toEqual([]);
  });

  test('SIGHUP (a closed terminal) and SIGQUIT stop as SIGTERM does, with the shell\'s codes 129 and 131', () => {
    for (const [name, code] of [['SIGHUP', 129], ['SIGQUIT', 131]] as const) {
      const fake = fakeProcess();
      fake.events.emit(name);
      expect(fake.signal.aborted).toBe(true);
      expect(interruptedExitCode(fake.signal.reason)).toBe(code);
      expect(fake.written()).toContain(`statuschaos: ${name}`);
      fake.events.emit(name);
      expect(fake.exits).toEqual([code]);
    }
  });

  test('a second signal during the cleanup gives up and says what is left', () => {
    const fake = fakeProcess();
    const done = noteStarted('namespace sc-test in context chaos-test: kubectl delete namespace sc-test');
    fake.events.emit('SIGINT');
    fake.events.emit('SIGINT');
    done();
    expect(fake.exits).toEqual([130]);
    expect(fake.written()).toContain('SIGINT again: cleanup abandoned; left behind:\n  - namespace sc-test in context chaos-test: kubectl delete namespace sc-test');
  });

  test('a parent that went away counts as SIGTERM, at the next check', () => {
    vi.useFakeTimers();
    try {
      const fake = fakeProcess();
      const check = 1_000; // the CLI looks every half second (docs/limits.md)
      vi.advanceTimersByTime(check);
      expect(fake.signal.aborted).toBe(false);
      fake.orphan();
      vi.advanceTimersByTime(check);
      expect(fake.signal.aborted).toBe(true);
      expect(interruptedExitCode(fake.signal.reason)).toBe(143);
      expect(fake.written()).toMatch(/the parent process \(pid 100\) went away: stopping/);
    } finally {
      vi.useRealTimers();
    }
  });
});
