// What --flink real checks before anything starts, and what it says about time it cannot scale.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { BackendError } from '../../../../src/backends/backend.ts';
import { localBackend } from '../../../../src/backends/local/backend.ts';
import { loadFlinkInstall } from '../../../../src/backends/local/flink/flink-install.ts';
import { UNSCALED_KEY, unscaledDurations } from '../../../../src/backends/local/flink/real-flink-side.ts';
import { UserError } from '../../../../src/errors/user-error.ts';
import { parseScenario } from '../../../../src/scenario/load.ts';

test('a session-mode scenario is refused as bad input before a control plane starts', async () => {
  const scenario = parseScenario('name: session\nduration: 1m\napp: { mode: session, jobs: [a, b] }\n', 'session.yaml');
  const backend = localBackend({ env: { STATUSCHAOS_TOOLS_DIR: mkdtempSync(join(tmpdir(), 'statuschaos-no-tools-')) }, flink: 'real' });
  const opened = backend.open(scenario, { seed: 1, timeScale: 1, runDir: tmpdir(), onTruth: () => {}, onProgress: () => {} });
  await expect(opened).rejects.toBeInstanceOf(UserError);
  await expect(opened).rejects.toThrow(/application-mode scenarios only/);
});

test('without `npm run tools`, real Flink is a backend error that says how to build it', () => {
  const env = { STATUSCHAOS_TOOLS_DIR: mkdtempSync(join(tmpdir(), 'statuschaos-no-tools-')) };
  expect(() => loadFlinkInstall(env)).toThrow(BackendError);
  expect(() => loadFlinkInstall(env)).toThrow(expect.objectContaining({ hint: expect.stringContaining('npm run tools') }));
});

test.for([
  ['StreamPark timing: nothing to say', 1, undefined],
  ['fast: the durations a JVM cannot shorten, ten times longer in scenario time', 0.1, /JobManager start.*heartbeat timeout.*10× longer/],
] as const)('%s', ([, scale, says]) => {
  const note = unscaledDurations(scale)[UNSCALED_KEY];
  if (says === undefined) expect(note).toBeUndefined();
  else expect(note).toMatch(says);
});
