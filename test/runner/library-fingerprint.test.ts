// Behaviour pin: the library on sim, 20 seeds, every variant — trace, verdict and a hash of each
// lane's writes, alerts and polls — must equal test/fixtures/golden/library-fingerprint.json.
// A restructuring leaves it unchanged. A deliberate change of behaviour (a model fix) regenerates
// it with `UPDATE_FINGERPRINT=1 npx vitest run test/runner/library-fingerprint.test.ts`, and the
// commit says which rows changed and why.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { libraryFingerprint, type FingerprintRow } from '../support/library-fingerprint.ts';

const GOLDEN = new URL('../fixtures/golden/library-fingerprint.json', import.meta.url);

test('the library behaves exactly as pinned (20 seeds, every variant)', { timeout: 300_000 }, async () => {
  const rows = await libraryFingerprint(new URL('../../scenarios', import.meta.url).pathname);
  if (process.env.UPDATE_FINGERPRINT === '1') writeFileSync(GOLDEN, `${JSON.stringify(rows).replace(/\},\{/g, '},\n{')}\n`);
  const pinned = JSON.parse(readFileSync(GOLDEN, 'utf8')) as FingerprintRow[];
  const key = (row: FingerprintRow) => `${row.scenario} seed ${row.seed} ${row.variant} ${row.app}`;
  const expected = new Map(pinned.map((row) => [key(row), row]));
  const changed = rows.filter((row) => JSON.stringify(expected.get(key(row))) !== JSON.stringify(row)).map((row) => `${key(row)}: ${expected.get(key(row))?.trace ?? '(new)'} [${expected.get(key(row))?.lane ?? ''}] → ${row.trace} [${row.lane}]`);
  const missing = pinned.filter((row) => !rows.some((candidate) => key(candidate) === key(row))).map(key);
  expect({ changed, missing }).toEqual({ changed: [], missing: [] });
});
