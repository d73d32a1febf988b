// Behaviour pin: the library on sim, 20 seeds, every variant — trace, verdict and a hash of each
// lane's writes, alerts and polls — must equal test/fixtures/golden/library-fingerprint.json.
// A restructuring leaves it unchanged. A deliberate change of behaviour (a model fix) regenerates
// it with `UPDATE_FINGERPRINT=1 npx vitest run test/runner/library-fingerprint.test.ts`, which
// only writes the file and prints the rows that changed (the check is skipped in that run: it
// would compare the file with itself); run the test again without it to check, and say in the
// commit which rows changed and why. The check never writes; CI refuses the update mode.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { libraryFingerprint, type FingerprintRow } from '../support/library-fingerprint.ts';

const GOLDEN = new URL('../fixtures/golden/library-fingerprint.json', import.meta.url);
const UPDATING = process.env.UPDATE_FINGERPRINT === '1';

const key = (row: FingerprintRow) => `${row.scenario} seed ${row.seed} ${row.variant} ${row.app}`;
const computed = () => libraryFingerprint(new URL('../../scenarios', import.meta.url).pathname);
const pinned = () => JSON.parse(readFileSync(GOLDEN, 'utf8')) as FingerprintRow[];

/** The rows of `rows` that differ from `before`, and the keys of `before` that `rows` lacks. */
function differences(rows: FingerprintRow[], before: FingerprintRow[]): { changed: string[]; missing: string[] } {
  const expected = new Map(before.map((row) => [key(row), row]));
  const changed = rows.filter((row) => JSON.stringify(expected.get(key(row))) !== JSON.stringify(row)).map((row) => `${key(row)}: ${expected.get(key(row))?.trace ?? '(new)'} [${expected.get(key(row))?.lane ?? ''}] → ${row.trace} [${row.lane}]`);
  const present = new Set(rows.map(key));
  const missing = before.filter((row) => !present.has(key(row))).map(key);
  return { changed, missing };
}

test.skipIf(UPDATING)('the library behaves exactly as pinned (20 seeds, every variant)', { timeout: 1_800_000 }, async () => {
  expect(differences(await computed(), pinned())).toEqual({ changed: [], missing: [] });
});

test.runIf(UPDATING)('UPDATE_FINGERPRINT=1: rewrite the pinned fingerprint (nothing is checked in this run)', { timeout: 1_800_000 }, async () => {
  if (process.env.CI === 'true') throw new Error('UPDATE_FINGERPRINT=1 with CI=true: CI checks the pinned fingerprint, it never rewrites it');
  const rows = await computed();
  const { changed, missing } = differences(rows, pinned());
  writeFileSync(GOLDEN, `${JSON.stringify(rows).replace(/\},\{/g, '},\n{')}\n`);
  process.stdout.write(`library fingerprint rewritten: ${changed.length} row(s) changed, ${missing.length} gone${[...changed, ...missing.map((gone) => `${gone}: gone`)].map((line) => `\n  ${line}`).join('')}\nnow run the test again without UPDATE_FINGERPRINT to check\n`);
  expect(rows.length).toBeGreaterThan(0);
});
