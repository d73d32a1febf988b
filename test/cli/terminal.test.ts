// Terminal output: an escape sequence that comes from an input (a file name, a value) is shown,
// not obeyed by the terminal.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { forTerminal } from '../../src/cli/terminal.ts';

describe('forTerminal', () => {
  test.for([
    ['a window-title sequence', '\u001b]0;pwned\u0007', '\\u001b]0;pwned\\u0007'],
    ['clear screen', '\u001b[2J\u001b[H', '\\u001b[2J\\u001b[H'],
    ['a C1 control (CSI)', 'a\u009b2Jb', 'a\\u009b2Jb'],
    ['a bidi override (trojan-source style)', 'safe\u202eexe.yaml', 'safe\\u202eexe.yaml'],
    ['a carriage return that would overwrite the line', 'ok\rFAIL', 'ok\\u000dFAIL'],
    ['newlines, tabs and non-ASCII text stay', 'a\tb\nÄ → ✓', 'a\tb\nÄ → ✓'],
  ] as const)('%s', ([, text, shown]) => expect(forTerminal(text)).toBe(shown));
});

test('a scenario whose file name and value carry escape sequences: the CLI prints them escaped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'statuschaos-terminal-'));
  const file = join(dir, 'evil\u001b]0;owned\u0007.yaml');
  await writeFile(file, 'name: x\nduration: "\u001b[2J"\n');
  let stderr = '';
  const code = await main(['validate', file], { env: {}, stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } });
  expect(code).toBe(2);
  expect(stderr).toContain('evil\\u001b]0;owned\\u0007.yaml');
  expect(stderr).not.toMatch(/[\u001b\u0007]/);
});
