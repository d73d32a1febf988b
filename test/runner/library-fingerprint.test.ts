// Behaviour pin: the library on sim, 20 seeds, every variant — trace, verdict and a hash of each
// lane's writes, alerts and polls — is test/fixtures/golden/library-fingerprint.json
// (test/support/library-fingerprint.ts). test/runner/library.test.ts holds every scenario to its
// rows, from the same runs that check its verdicts; here, the file's rows must be exactly those
// of the library (a scenario removed or renamed leaves rows nobody checks). A restructuring leaves
// the pin unchanged. A deliberate change of behaviour (a model fix) regenerates it with
// `UPDATE_FINGERPRINT=1 npx vitest run test/runner/library-fingerprint.test.ts`, which only
// writes the file and prints the rows that changed; then run `npx vitest run
// test/runner/library.test.ts` to check, and say in the commit which rows changed and why. The
// check never writes; CI refuses the update mode.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { modelNames } from '../../src/models/registry.ts';
import { loadScenarios } from '../../src/scenario/files.ts';
import { FINGERPRINT_FILE, FINGERPRINT_SEEDS, fingerprintDifferences, libraryFingerprint, UPDATING_FINGERPRINT, type FingerprintRow } from '../support/library-fingerprint.ts';

const LIBRARY = new URL('../../scenarios', import.meta.url).pathname;
const pinned = () => JSON.parse(readFileSync(FINGERPRINT_FILE, 'utf8')) as FingerprintRow[];

test.skipIf(UPDATING_FINGERPRINT)('the pinned fingerprint covers exactly the library: every scenario, 20 seeds, every variant', async () => {
  const rows = pinned();
  const scenarios = (await loadScenarios([LIBRARY])).map((scenario) => scenario.name);
  expect([...new Set(rows.map((row) => row.scenario))].sort()).toEqual([...scenarios].sort());
  const covered = (scenario: string) => {
    const own = rows.filter((row) => row.scenario === scenario);
    return { seeds: [...new Set(own.map((row) => row.seed))].sort((a, b) => a - b), variants: [...new Set(own.map((row) => row.variant))].sort() };
  };
  for (const scenario of scenarios) expect(covered(scenario), scenario).toEqual({ seeds: FINGERPRINT_SEEDS, variants: [...modelNames()].sort() });
});

test.runIf(UPDATING_FINGERPRINT)('UPDATE_FINGERPRINT=1: rewrite the pinned fingerprint (nothing is checked in this run)', { timeout: 1_800_000 }, async () => {
  if (process.env.CI === 'true') throw new Error('UPDATE_FINGERPRINT=1 with CI=true: CI checks the pinned fingerprint, it never rewrites it');
  const rows = await libraryFingerprint(LIBRARY);
  const { changed, missing } = fingerprintDifferences(rows, pinned());
  writeFileSync(FINGERPRINT_FILE, `${JSON.stringify(rows).replace(/\},\{/g, '},\n{')}\n`);
  process.stdout.write(`library fingerprint rewritten: ${changed.length} row(s) changed, ${missing.length} gone${[...changed, ...missing.map((gone) => `${gone}: gone`)].map((line) => `\n  ${line}`).join('')}\nnow run test/runner/library.test.ts without UPDATE_FINGERPRINT to check\n`);
  expect(rows.length).toBeGreaterThan(0);
});
