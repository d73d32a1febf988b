// Flags a hostile or careless command line gives: each refused with exit 2 and a message that
// says what is allowed (no parser jargon, no empty hint, nothing folded or run twice).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';

const root = new URL('../..', import.meta.url).pathname;
const incident = join(root, 'scenarios', 'incident-3618.yaml');

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { env: {}, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

describe('flags refused before anything runs (exit 2)', () => {
  test.for([
    ['a negative seed is a value, not an unknown flag', ['run', '--seed', '-5', incident], 'Expected `--seed` to be a whole number from 0 to 4294967295, got `-5`'],
    ['a seed beyond 32 bits is refused, not folded onto another', ['run', '--seed', '4294967296', incident], 'from 0 to 4294967295, got `4294967296`'],
    ['an unsafe integer is refused, not run as seed 0', ['run', '--seed', '99999999999999999999', incident], 'got `99999999999999999999`'],
    ['seeds that would run past 2^32 − 1', ['run', '--seed', '4294967290', '--repeat', '10', incident], 'seeds 4294967290 to 4294967299 go past 4294967295'],
    ['a repeat of 0', ['run', '--repeat', '0', incident], 'Expected `--repeat` to be a whole number from 1 to 1000000, got `0`'],
    ['a repeat beyond the limit', ['run', '--repeat', '1000001', incident], 'from 1 to 1000000, got `1000001`'],
    ['a variant named twice would run twice and count two passes', ['run', '--variants', 'proposed,proposed', incident], '`proposed` is named twice in --variants'],
    ['a flag for a command that takes none: no empty "allowed:" hint', ['validate', '--seed', '3', incident], '`statuschaos validate` takes no options but --help'],
  ] as const)('%s', async ([, argv, message]) => {
    const { code, stderr, stdout } = await cli([...argv]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/allowed: *\n|ambiguous|\n\s+at /);
    expect(stdout).toBe('');
  });
});

describe('one range check per numeric flag, the same in every command that takes it (issue 22, item 3)', () => {
  const cores = availableParallelism();
  // each flag with a value beyond its range, and every command line that takes it
  const cases: [string, string, string, string[][]][] = [
    ['seed', '4294967296', 'from 0 to 4294967295', [['run', incident], ['explore', '--runs', '1'], ['job', 'render', 'explore', '--runs', '1']]],
    ['seed', '-1', 'from 0 to 4294967295', [['run', incident], ['explore', '--runs', '1'], ['job', 'render', 'run', 'scenarios']]],
    ['repeat', '2000000', 'from 1 to 1000000', [['run', incident], ['job', 'render', 'run', 'scenarios']]],
    ['workers', String(cores + 1), `from 1 to ${cores}`, [['run', incident], ['explore', '--runs', '1']]],
    ['workers', '65', 'from 1 to 64', [['job', 'render', 'explore', '--runs', '1']]],
    ['shards', '1000000', 'from 1 to 10000', [['job', 'render', 'explore', '--runs', '1']]],
    ['parallelism', '1000000', 'from 1 to 10000', [['job', 'render', 'explore', '--runs', '1']]],
    ['runs', '9999999999', 'from 1 to 8388608', [['explore'], ['job', 'render', 'explore']]],
    ['confirm-runs', '0', 'from 1 to 100', [['explore', '--runs', '1']]],
  ];
  test.for(cases.flatMap(([flag, value, range, commands]) => commands.map((command) => [`${command.slice(0, command[0] === 'job' ? 3 : 1).join(' ')} --${flag} ${value}`, command, flag, value, range] as const)))('%s: exit 2', async ([, command, flag, value, range]) => {
    const { code, stderr, stdout } = await cli([...command, `--${flag}`, value]);
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(`Expected \`--${flag}\` to be a whole number ${range}, got \`${value}\``);
    expect(stdout).toBe('');
  });

  test.for([
    ['explore', ['explore', '--runs', '1']],
    ['job render', ['job', 'render', 'run', 'scenarios']],
  ] as const)('--shard / --shards beyond 10 000 in %s', async ([, command]) => {
    const flag = command[0] === 'job' ? ['--shards', '10001'] : ['--shard', '1/10001'];
    const { code, stderr } = await cli([...command, ...flag]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/10000|10 000/);
  });

  test('explore --budget: a positive duration of at most a week', async () => {
    for (const budget of ['0s', '1000h', 'soon']) {
      const { code, stderr } = await cli(['explore', '--budget', budget]);
      expect(code).toBe(2);
      expect(stderr).toContain(`Expected \`--budget\` to be a positive duration of at most 168 h like \`60s\`, \`30m\` or \`2h\`, got \`${budget}\``);
    }
  });

  test('STATUSCHAOS_SEED goes through the same check (explore ran 2^32 as seed 0)', async () => {
    let stderr = '';
    const code = await main(['explore', '--runs', '1'], { env: { STATUSCHAOS_SEED: '4294967296' }, stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } });
    expect(code).toBe(2);
    expect(stderr).toContain('got `4294967296`');
  });
});

describe('one list parser for run and explore (issue 22, item 13)', () => {
  test.for([
    ['run: a variant named twice', ['run', incident, '--variants', 'proposed,proposed'], '`proposed` is named twice in --variants'],
    ['explore: a variant named twice (it de-duplicated silently)', ['explore', '--runs', '1', '--variants', 'proposed,proposed'], '`proposed` is named twice in --variants'],
    ['explore: an oracle named twice', ['explore', '--runs', '1', '--oracles', 'truthful,truthful'], '`truthful` is named twice in --oracles'],
    ['run: a zero-width space in a variant', ['run', incident, '--variants', 'proposed\u200b'], '--variants contains the character U+200B'],
    ['explore: a byte-order mark before an oracle (trim removed it)', ['explore', '--runs', '1', '--oracles', '\ufefftruthful,quiet'], '--oracles contains the character U+FEFF'],
    ['explore: a Cyrillic a in a variant', ['explore', '--runs', '1', '--variants', 'propos\u0435d'], '--variants contains the character U+0435'],
    ['run: a no-break space in the backend', ['run', incident, '--backend', 'sim\u00a0'], '--backend contains the character U+00A0'],
    ['run: nothing named', ['run', incident, '--variants', ', ,'], '--variants names nothing'],
    ['explore: nothing named', ['explore', '--runs', '1', '--oracles', ','], '--oracles names nothing'],
    ['explore: an unknown oracle', ['explore', '--runs', '1', '--oracles', 'truthfull'], 'unknown oracle `truthfull` in --oracles'],
  ] as const)('%s: exit 2', async ([, argv, message]) => {
    const { code, stderr } = await cli([...argv]);
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(message);
  });
});
