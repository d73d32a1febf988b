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
import { cli } from '../support/cli.ts';
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
