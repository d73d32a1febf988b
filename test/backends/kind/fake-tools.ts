/**
 * Fake kind, docker and kubectl executables in a temporary folder (fixtures/fake-tool.mjs
 * behind one small shell wrapper each), and what they were called with.
 */
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeCall {
  tool: string;
  args: string[];
  /** content of every existing file named in the arguments, by path */
  files: Record<string, string>;
  at: number;
  /** the fake process, to check it was killed rather than waited for */
  pid?: number;
}

export interface FakeTools {
  dir: string;
  /** the folder holding the fakes: the whole PATH of the commands under test */
  binDir: string;
  /** an environment whose PATH holds the fakes only, plus the fakes' own settings */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  calls(): Promise<FakeCall[]>;
  /** the calls as command lines (`kind get clusters`) */
  lines(): Promise<string[]>;
  /** the $FAKE_SLOW calls that waited their whole 30 s (a call that was killed is not among them), as command lines */
  slowCallsFinished(): Promise<string[]>;
  cleanup(): Promise<void>;
}

const fixture = join(import.meta.dirname, 'fixtures', 'fake-tool.mjs');

/** Write fakes for `tools` (default all three) into a fresh folder. */
export async function fakeTools(tools: readonly string[] = ['kind', 'docker', 'kubectl']): Promise<FakeTools> {
  const dir = await mkdtemp(join(tmpdir(), 'statuschaos-fake-tools-'));
  const binDir = join(dir, 'bin');
  const state = join(dir, 'state');
  await mkdir(binDir);
  await mkdir(state);
  await copyFile(fixture, join(dir, 'fake-tool.mjs'));
  for (const tool of tools) {
    const path = join(binDir, tool);
    // absolute paths only: PATH holds nothing but this folder
    await writeFile(path, `#!/bin/sh\nexec '${process.execPath}' '${join(dir, 'fake-tool.mjs')}' ${tool} "$@"\n`);
    await chmod(path, 0o755);
  }
  const log = join(dir, 'calls.jsonl');
  await writeFile(log, '');
  const calls = async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as FakeCall);
  const slowLog = `${log}.slow-done`;
  return {
    dir,
    binDir,
    env: (extra = {}) => ({ PATH: binDir, FAKE_LOG: log, FAKE_STATE: state, STATUSCHAOS_TOOLS_DIR: join(dir, 'no-tools'), ...extra }),
    calls,
    lines: async () => (await calls()).map((call) => [call.tool, ...call.args].join(' ')),
    slowCallsFinished: async () => (await readFile(slowLog, 'utf8').catch(() => '')).split('\n').filter(Boolean),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Mark a kind cluster as existing, as if an earlier run had kept it. */
export async function existingCluster(fakes: FakeTools, name: string): Promise<void> {
  await writeFile(join(fakes.dir, 'state', 'clusters'), `${name}\n`);
}
