// The manifests `statuschaos job render` prints, checked by a real kube-apiserver (the local
// control plane) with a server-side dry run and strict field validation: what `kubectl apply`
// would create, without creating it. Pods cannot run here (the node is kwok), so this is as far
// as a cluster can judge them; the entry command itself is tested in job.test.ts.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTROL_PLANE_TOOLS, startControlPlane, type ControlPlane } from '../../src/backends/local/control-plane/index.ts';
import fc from 'fast-check';
import { cli } from '../support/cli.ts';
import { JOB_VALUE_FIELDS, jobValue } from '../support/job-values.ts';
import { missingTools, toolsBinDir } from '../support/tools.ts';

/** `kubectl apply --dry-run=server --validate=strict -f -` with `manifest` on stdin. */
function dryRun(plane: ControlPlane, manifest: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(join(toolsBinDir, 'kubectl'), ['--kubeconfig', plane.kubeconfigPath, 'apply', '--dry-run=server', '--validate=strict', '-f', '-'], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(manifest);
  });
}

async function render(argv: string[]): Promise<string> {
  const { code, stdout, stderr } = await cli(['job', 'render', ...argv]);
  expect(code, stderr).toBe(0);
  return stdout;
}

describe.skipIf(missingTools([...CONTROL_PLANE_TOOLS, 'kubectl']) !== undefined)('job render against a real API server (server-side dry run)', () => {
  let runDir: string;
  let plane: ControlPlane;

  beforeAll(async () => {
    runDir = await mkdtemp(join(tmpdir(), 'statuschaos-job-dry-run-'));
    plane = await startControlPlane({ runDir });
  });

  afterAll(async () => {
    await plane?.stop();
    if (runDir !== undefined) await rm(runDir, { recursive: true, force: true });
  });

  test.for([
    ['explore shards', ['explore', '--budget', '30m', '--seed', '1', '--shards', '16', '--parallelism', '4', '--image', 'registry.example.com/statuschaos:0.1.0'], ['persistentvolumeclaim/statuschaos-explore-results', 'job.batch/statuschaos-explore']],
    ['run shards on an existing claim', ['run', 'scenarios', '--repeat', '20', '--shards', '8', '--claim', 'shared-results', '--namespace', 'default'], ['job.batch/statuschaos-run']],
    ['the merge Job', ['merge', '--name', 'statuschaos-explore', '--shards', '16'], ['job.batch/statuschaos-explore-merge']],
  ] as const)('%s: accepted', async ([, argv, created]) => {
    const { code, stdout, stderr } = await dryRun(plane, await render([...argv]));
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(created.map((name) => `${name} created (server dry run)`));
  });

  /** Create a namespace on the throwaway API server (a dry run in a namespace that does not exist is refused). */
  const createNamespace = (name: string) => new Promise<void>((resolve, reject) => execFile(join(toolsBinDir, 'kubectl'), ['--kubeconfig', plane.kubeconfigPath, 'create', 'namespace', name], (error, _stdout, stderr) => (error && !/AlreadyExists/.test(stderr) ? reject(new Error(stderr)) : resolve())));

  // issue 22, item 1: values at the edge of what job render accepts; each must also be what the API server accepts
  test.for([
    ['a name of 50 characters (room for -<index> host names)', ['explore', '--runs', '1', '--name', `a${'-b'.repeat(24)}c`]],
    ['a namespace of 63 characters', ['explore', '--runs', '1', '--namespace', `n${'x'.repeat(61)}n`]],
    ['a storage class of 253 characters', ['explore', '--runs', '1', '--storage-class', Array(4).fill('s'.repeat(62)).join('.').concat('.a')]],
    ['a claim name of 253 characters', ['run', 'scenarios', '--claim', Array(4).fill('c'.repeat(62)).join('.').concat('.a')]],
    ['values YAML 1.1 reads as booleans or numbers (kubectl does)', ['explore', '--runs', '1', '--image', 'y', '--namespace', 'no', '--storage-class', 'on', '--name', 'off']],
    ['storage 1 (one byte)', ['explore', '--runs', '1', '--storage', '1']],
    ['storage 1.5Gi', ['explore', '--runs', '1', '--storage', '1.5Gi']],
    ['storage 1e9', ['explore', '--runs', '1', '--storage', '1e9']],
    ['storage .5Gi', ['explore', '--runs', '1', '--storage', '.5Gi']],
    ['an image with a registry port, a tag and a digest', ['explore', '--runs', '1', '--image', `registry.example.com:5000/team/statuschaos:0.1.0@sha256:${'a'.repeat(64)}`]],
    ['10 000 shards at once, 64 CPUs each', ['explore', '--runs', '1', '--shards', '10000', '--parallelism', '10000', '--workers', '64']],
    ['scenario paths with every character allowed', ['run', '/app/scenarios/a_b+c@d=e,f:g-h.yaml', 'scenarios']],
  ] as const)('%s: rendered, and accepted', async ([, given]) => {
    const argv: string[] = [...given];
    const namespace = argv.indexOf('--namespace');
    if (namespace !== -1) await createNamespace(argv[namespace + 1]!);
    const { code, stderr } = await dryRun(plane, await render(argv));
    expect(code, stderr).toBe(0);
  });

  test('generated values (hostile and near the rules): whatever job render renders, the API server accepts', { timeout: 300_000 }, async () => {
    const samples = fc.sample(fc.tuple(fc.constantFrom(...JOB_VALUE_FIELDS.map(([flag]) => flag)), jobValue), { numRuns: 200, seed: 22 });
    let judged = 0;
    for (const [flag, value] of samples) {
      const { code, stdout, stderr } = await cli(['job', 'render', 'explore', '--runs', '1', flag, value]);
      if (code !== 0) {
        expect(code, stderr).toBe(2);
        continue;
      }
      if (flag === '--namespace') await createNamespace(value);
      const verdict = await dryRun(plane, stdout);
      expect(verdict.code, `${flag} ${JSON.stringify(value)}: ${verdict.stderr}`).toBe(0);
      judged += 1;
    }
    console.log(`generated job render values: ${judged} of ${samples.length} rendered, each accepted by the API server`);
    expect(judged).toBeGreaterThan(40);
  });

  test.for([
    ['a misspelt field', (yaml: string) => yaml.replace('backoffLimitPerIndex', 'backoffLimitPerindex'), /unknown field "spec.backoffLimitPerindex"/],
    ['a pod failure policy with pods restarted in place', (yaml: string) => yaml.replace('restartPolicy: Never', 'restartPolicy: OnFailure'), /podFailurePolicy.*restartPolicy|restartPolicy.*Never/],
    ['a completion mode it does not know', (yaml: string) => yaml.replace('completionMode: Indexed', 'completionMode: Indexd'), /completionMode.*Unsupported value: "Indexd"/],
  ] as const)('the same check rejects %s', async ([, spoil, message]) => {
    const { code, stderr } = await dryRun(plane, spoil(await render(['explore', '--runs', '100', '--shards', '4'])));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
  });
});
