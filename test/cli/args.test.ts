// Flags a hostile or careless command line gives: each refused with exit 2 and a message that
// says what is allowed (no parser jargon, no empty hint, nothing folded or run twice).
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
