// `--confirm local`: each finding's scenario file re-run on the real local control plane (fast
// timing), and how often it reproduced is recorded per finding — the sim/live agreement.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { ExploreRecord } from '../../src/record/explore-record.ts';
import { missingTools } from '../support/tools.ts';

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'kube-controller-manager', 'kube-scheduler', 'toxiproxy-server']);

describe.skipIf(missing !== undefined)('explore --confirm local', () => {
  test('each finding is re-run on the local control plane and its reproduction counted', { timeout: 600_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'statuschaos-confirm-'));
    let stderr = '';
    // seed 2's first schedule holds one v2.1.3 finding (a session job read as LOST: BUG 1 in the untrack
    // check dropped the REST URL); each finding costs a live run. Which seed does depends on the
    // generator (arbitraries.ts, stories.ts): a change there may move it (`explore --runs 1 --seed N`)
    const code = await main(['explore', '--runs', '1', '--seed', '2', '--variants', 'v2.1.3', '--oracles', 'truthful', '--confirm', 'local', '--confirm-runs', '1', '--out', out], { env: process.env, stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } });
    expect(code, stderr).toBe(1);
    const record = JSON.parse(await readFile(join(out, 'explore.json'), 'utf8')) as ExploreRecord;
    expect(record.findings.length).toBeGreaterThan(0);
    for (const finding of record.findings) {
      expect(finding.confirmed).toMatchObject({ backend: 'local', runs: 1 });
      expect(finding.confirmed!.reproduced + finding.confirmed!.notes.length).toBe(1);
    }
    // the incident's class reproduces on the real control plane
    const incident = record.findings.find((finding) => /FAILED while RUNNING, to the end( · |$)/.test(finding.signature));
    if (incident !== undefined) expect(incident.confirmed!.reproduced, incident.confirmed!.notes.join('; ')).toBe(1);
  });
});
