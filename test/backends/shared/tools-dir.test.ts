// Where the live backends find the binaries `npm run tools` built.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { builtOrPath, defaultToolsDir } from '../../../src/backends/shared/tools-dir.ts';
import { findKubectl } from '../../../src/backends/shared/exec-restart.ts';

test('the default tools folder is the repository .tools unless STATUSCHAOS_TOOLS_DIR says otherwise', () => {
  expect(defaultToolsDir({})).toMatch(/\.tools$/);
  expect(defaultToolsDir({ STATUSCHAOS_TOOLS_DIR: '/opt/tools' })).toBe('/opt/tools');
});

test('a built binary comes before the one on PATH; without one, the name is looked up on PATH', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statuschaos-tools-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'kubectl'), '#!/bin/sh\n', { mode: 0o755 });
  expect(builtOrPath('kubectl', { STATUSCHAOS_TOOLS_DIR: dir })).toBe(join(dir, 'bin', 'kubectl'));
  expect(builtOrPath('kind', { STATUSCHAOS_TOOLS_DIR: dir })).toBe('kind');
});

test('kubectl: the one `npm run tools` built is used even when another is first on PATH', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'statuschaos-tools-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'path'));
  writeFileSync(join(dir, 'bin', 'kubectl'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  writeFileSync(join(dir, 'path', 'kubectl'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  expect(await findKubectl({ STATUSCHAOS_TOOLS_DIR: dir, PATH: `${join(dir, 'path')}:/usr/bin:/bin` })).toBe(join(dir, 'bin', 'kubectl'));
  expect(await findKubectl({ STATUSCHAOS_TOOLS_DIR: join(dir, 'none'), PATH: `${join(dir, 'path')}:/usr/bin:/bin` })).toBe('kubectl');
});
