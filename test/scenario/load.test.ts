// Reading scenario files that fight back: alias bombs, deep nesting, FIFOs, huge files, link
// loops, folders that link to themselves; and values of the wrong kind, which must say what was
// expected and what the file has. Each is a UserError at its file (and line), never a crash.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UserError, UserErrors, formatUserError } from '../../src/errors/user-error.ts';
import { loadScenarios } from '../../src/scenario/files.ts';
import { LIMITS } from '../../src/scenario/limits.ts';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.ts';
import { ORACLE_NAMES } from '../../src/scenario/oracle-names.ts';

/** "Billion laughs": ten levels of ten aliases each would expand to 10^10 strings. */
export const ALIAS_BOMB = ['name: bomb', 'duration: 1m', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, level) => `a${level + 1}: &a${level + 1} [${Array(10).fill(`*a${level}`).join(', ')}]`)].join('\n');

async function messages(load: () => Promise<unknown>): Promise<string> {
  try {
    await load();
  } catch (error) {
    if (error instanceof UserErrors) return error.errors.map(formatUserError).join('\n');
    if (error instanceof UserError) return formatUserError(error);
    throw error;
  }
  throw new Error('it loaded');
}

const scratch = () => mkdtemp(join(tmpdir(), 'statuschaos-load-'));

describe('files that fight back', () => {
  test.for([
    ['a YAML alias bomb', async (dir: string) => writeFile(join(dir, 's.yaml'), ALIAS_BOMB), /s\.yaml:1: YAML: its aliases \(\*name\) expand to too much \(more than 100 copies\)/],
    ['flow collections nested 100 000 deep', async (dir: string) => writeFile(join(dir, 's.yaml'), `name: deep\nduration: 1m\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`), /s\.yaml:3:\d+: YAML: the file nests too deeply to read|nests collections more than 32 levels/],
    ['block mappings nested 40 deep', async (dir: string) => writeFile(join(dir, 's.yaml'), `name: deep\nduration: 1m\nx:\n${Array.from({ length: 40 }, (_, depth) => `${'  '.repeat(depth + 1)}k${depth}:`).join('\n')} 1\n`), /s\.yaml:1: the file nests collections more than 32 levels deep/],
    ['a FIFO (reading it blocked for ever)', async (dir: string) => execFileSync('mkfifo', [join(dir, 's.yaml')]), /s\.yaml: not a regular file \(a FIFO\)/],
    ['a 40 MB file', async (dir: string) => writeFile(join(dir, 's.yaml'), `name: big\nduration: 1m\ndescription: ${'x'.repeat(40 * 1024 * 1024)}\n`), /s\.yaml: the file is larger than 256 KiB \(40 MiB\)/],
    ['a link to itself (said "no such file")', async (dir: string) => symlink(join(dir, 's.yaml'), join(dir, 's.yaml')), /s\.yaml: cannot read the scenario file: a symbolic link loop/],
    ['a folder named like a scenario', async (dir: string) => mkdir(join(dir, 's.yaml')), /s\.yaml: cannot read the scenario file: it is a folder|not a regular file \(a folder\)/],
  ] as const)('%s', async ([, make, message]) => {
    const dir = await scratch();
    await make(dir);
    expect(await messages(() => loadScenarioFile(join(dir, 's.yaml')))).toMatch(message);
  });

  test('in a folder, an alias bomb does not hide the other files: each is reported, the good one loads', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'a-bomb.yaml'), ALIAS_BOMB);
    await writeFile(join(dir, 'b-bad.yaml'), 'name: bad\nduration: soon\n');
    await writeFile(join(dir, 'c-good.yaml'), 'name: good\nduration: 1m\n');
    const text = await messages(() => loadScenarios([dir]));
    expect(text).toContain('a-bomb.yaml:1: YAML: its aliases');
    expect(text).toContain('b-bad.yaml:2:11: Expected `duration` to be a duration');
    expect(text).not.toContain('c-good.yaml');
  });

  test('a folder that links to itself is listed once, not for ever', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'good.yaml'), 'name: good\nduration: 1m\n');
    await symlink(dir, join(dir, 'again'));
    expect((await loadScenarios([dir])).map((loaded) => loaded.name)).toEqual(['good']);
  });

  test(`more than ${LIMITS.folderDepth} folder levels are refused`, async () => {
    const dir = await scratch();
    const deep = join(dir, ...Array.from({ length: LIMITS.folderDepth + 2 }, (_, index) => `d${index}`));
    await mkdir(deep, { recursive: true });
    await writeFile(join(deep, 'x.yaml'), 'name: x\nduration: 1m\n');
    expect(await messages(() => loadScenarios([dir]))).toMatch(/folders nest more than 16 levels deep/);
  });
});

describe('values of the wrong kind say what was expected and what was found', () => {
  test.for([
    ['a number where text goes (was "missing `name`")', 'name: 42\nduration: 1m', 's.yaml:1:7: Expected `name` to be text, got 42'],
    ['an empty value', 'name:\nduration: 1m', 's.yaml:1:6: Expected `name` to be text, got null (an empty value)'],
    ['a missing field is still called missing', 'duration: 1m', 's.yaml:1:1: missing `name` in the scenario'],
    ['an unknown timing profile (was "Invalid input")', 'name: x\nduration: 1m\ntiming: superfast', 's.yaml:3:9: Expected `timing` to be a profile (streampark or fast) or a mapping of overrides like `{ profile: fast, pollInterval: 2s }`, got "superfast"'],
    ['.inf as a toxic attribute (was "Invalid input")', 'name: x\nduration: 1m\ntimeline:\n  - { at: 1s, fault: { target: apiserver, toxic: latency, latency: .inf } }', 'timeline[0].fault.latency: Expected a number ≥ 0 or a duration like `300ms`, got .inf (infinity)'],
    ['.nan as toxicity', 'name: x\nduration: 1m\ntimeline:\n  - { at: 1s, fault: { target: apiserver, toxic: down, toxicity: .nan } }', 'timeline[0].fault.toxicity: expected a number, got .nan (not a number)'],
    ['a list where a mapping goes', 'name: x\nduration: 1m\nexpect: { proposed: [RUNNING] }', 'expect.proposed: expected a mapping, got a list'],
    ['a name carrying an escape sequence', 'name: "x\\e]0;pwned\\a"\nduration: 1m', '`name` contains control characters (escape sequences, bidi overrides), which terminals would act on'],
  ] as const)('%s', ([, text, message]) => {
    expect(() => parseScenario(text, 's.yaml')).toThrow(UserErrors);
    try {
      parseScenario(text, 's.yaml');
    } catch (error) {
      expect((error as UserErrors).errors.map(formatUserError).join('\n')).toContain(message);
    }
  });
});

describe('oracles as docs/scenarios.md writes them', () => {
  test('a name, or `{ name: bound }` for one oracle (the schema used to want all four keys)', () => {
    const scenario = parseScenario('name: x\nduration: 1m\nexpect:\n  proposed: { oracles: [truthful, { converges: 30s }, { quiet: 2m }] }', 's.yaml');
    expect(scenario.expect.proposed!.oracles).toEqual([{ name: 'truthful' }, { name: 'converges', boundMs: 30_000 }, { name: 'quiet', boundMs: 120_000 }]);
  });

  test.for([
    ['two oracles in one bound', '{ converges: 30s, quiet: 1m }', 's.yaml:4:25: an oracle with a bound is one `name: bound` pair'],
    ['a misspelt one', '{ convergez: 30s }', 's.yaml:4:27: unknown oracle `convergez` in expect.proposed.oracles[0]\n  hint: did you mean `converges`?'],
    ['a bound that is no duration', '{ converges: soon }', 'expect.proposed.oracles[0].converges: Expected `bound` to be a duration'],
    ['a number', '7', `Expected an oracle name (${ORACLE_NAMES.join(', ')}) or \`{ name: bound }\``],
  ] as const)('%s is refused at its place', ([, entry, message]) => {
    try {
      parseScenario(`name: x\nduration: 1m\nexpect:\n  proposed: { oracles: [${entry}] }`, 's.yaml');
      throw new Error('it loaded');
    } catch (error) {
      expect((error as UserErrors).errors.map(formatUserError).join('\n')).toContain(message);
    }
  });
});
