// The bad-input corpus: every malformed scenario must give its message at the right place, as a
// user error (no stack trace), and the CLI must exit 2.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { UserErrors, formatUserError } from '../../src/errors/user-error.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'scenario', 'bad');
const cases = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => {
    const file = join(dir, name);
    const expected = /^# expect: (.*)$/m.exec(readFileSync(file, 'utf8'))![1]!;
    return [name, file, expected] as const;
  });

describe('bad scenario files', () => {
  test('the corpus has at least 15 files', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  test.for(cases)('%s', async ([, file, expected]) => {
    const error = await loadScenarioFile(file).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UserErrors);
    const messages = (error as UserErrors).errors.map(formatUserError).join('\n');
    expect(messages).toContain(`${file}${expected.startsWith(':') ? '' : ': '}${expected}`.replace(`${file}: :`, `${file}:`));
  });

  test('the CLI reports them all with exit code 2 and no stack trace', async () => {
    let stderr = '';
    const code = await main(['validate', dir], { env: {}, stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } });
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/\n\s+at /);
    let problems = 0;
    for (const [, file] of cases) problems += await loadScenarioFile(file).then(() => 0, (thrown: unknown) => (thrown as UserErrors).errors.length);
    expect(problems).toBeGreaterThanOrEqual(cases.length);
    expect(stderr).toContain(`\n${problems} problem(s) found.`);
    for (const [, file] of cases) expect(stderr).toContain(file);
  });
});
