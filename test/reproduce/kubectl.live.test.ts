// The evidence import on a fresh recording: scripts/record-kubectl-fixtures.mjs restarts a
// JobManager twice on the local backend's real control plane (OOMKilled, then Error) and saves
// what kubectl prints; the import must find both restarts at the times the harness asked for
// them and the reason kubectl keeps — the same as the checked-in fixture gives
// (test/reproduce/evidence.test.ts). About 40 s; needs `npm run tools`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, test } from 'vitest';
import { restartEvidence, restartsAgainstAsked } from '../support/kubectl-evidence.ts';
import { missingTools } from '../support/tools.ts';

const missing = missingTools(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'kubectl', 'toxiproxy-server']);
const out = await mkdtemp(join(tmpdir(), 'statuschaos-kubectl-live-'));
afterAll(() => rm(out, { recursive: true, force: true }));

test.skipIf(missing !== undefined)('kubectl JSON recorded during two JobManager restarts gives both restarts and the last reason', { timeout: 240_000 }, async () => {
  const script = new URL('../../scripts/record-kubectl-fixtures.mjs', import.meta.url).pathname;
  const recording = await execa(process.execPath, [script, '--out', out], { reject: false, timeout: 200_000, killSignal: 'SIGTERM', forceKillAfterDelay: 10_000 });
  expect(recording.exitCode, recording.stderr.slice(-2000)).toBe(0);
  const found = await restartEvidence(out);
  const restarts = restartsAgainstAsked(found);
  expect(restarts.count, JSON.stringify(found.evidence, null, 1)).toBe(2);
  for (const apart of restarts.apartMs) expect(apart).toBeLessThanOrEqual(2_000);
  expect(restarts.reasons).toEqual([undefined, 'Error']);
  expect(restarts.others).toEqual([]);
});
