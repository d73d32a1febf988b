// Which cluster the kubeconfig backend may use, decided before any connection: the allow-list,
// the kubeconfig file and its contexts. No server is needed (the file points at a closed port).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeconfigBackend } from '../../../src/backends/kubeconfig/backend.ts';
import { resolveKubeconfigTarget, singleContextKubeconfig } from '../../../src/backends/kubeconfig/target.ts';
import { main } from '../../../src/cli/main.ts';
import { UserError } from '../../../src/errors/user-error.ts';
import { kubeconfigFile, OTHER_CONTEXT, TEST_CONTEXT } from './kubeconfig-file.ts';

const root = new URL('../../..', import.meta.url).pathname;
const incident = join(root, 'scenarios', 'incident-3618.yaml');

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stderr = '';
  const code = await main(argv, { env, stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stderr };
}

describe('kubeconfig backend: which cluster it may use', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'statuschaos-kubeconfig-'));
    file = join(dir, 'kubeconfig');
    // nothing listens there: a refusal must happen before any connection
    await writeFile(file, kubeconfigFile({ server: 'https://127.0.0.1:9', token: 'x', caData: 'x' }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const SERVER = 'https://127.0.0.1:9';
  const freshOut = () => mkdtemp(join(tmpdir(), 'statuschaos-kubeconfig-out-'));

  test('a context off the allow-list is refused with exit 2, naming the context and the fix (with its server)', async () => {
    const { code, stderr } = await cli(['run', '--backend', 'kubeconfig', '--kubeconfig', file, '--context', OTHER_CONTEXT, '--allowed-contexts', `${TEST_CONTEXT}=${SERVER}`, '--out', await freshOut(), incident]);
    expect(code).toBe(2);
    expect(stderr).toContain(`context \`${OTHER_CONTEXT}\` is not on the allow-list (${TEST_CONTEXT})`);
    expect(stderr).toContain(`--allowed-contexts ${OTHER_CONTEXT}=${SERVER}`);
  });

  test('the file\'s current context is checked too, and an empty allow-list allows nothing', async () => {
    const { code, stderr } = await cli(['run', '--backend', 'kubeconfig', '--kubeconfig', file, '--out', await freshOut(), incident]);
    expect(code).toBe(2);
    expect(stderr).toContain(`context \`${OTHER_CONTEXT}\` is not on the allow-list (the list is empty)`);
  });

  test.for([
    ['no --kubeconfig', () => ({}), /needs `--kubeconfig FILE`/],
    ['a missing file', () => ({ kubeconfig: '/nonexistent/kubeconfig' }), /cannot read the kubeconfig: no such file/],
    ['an unknown context', () => ({ kubeconfig: file, context: 'chaos-tset', allowedContexts: [`chaos-tset=${SERVER}`] }), /has no context `chaos-tset`[\s\S]*did you mean `chaos-test`/],
    ['an allowed name on another server (a context called like a test cluster, pointing at production)', () => ({ kubeconfig: file, context: TEST_CONTEXT, allowedContexts: [`${TEST_CONTEXT}=https://test.example:6443`] }), /points at https:\/\/127\.0\.0\.1:9, but the allow-list \(--allowed-contexts\) allows it only at https:\/\/test\.example:6443/],
    ['an allow-list entry without a server', () => ({ kubeconfig: file, context: TEST_CONTEXT, allowedContexts: [TEST_CONTEXT] }), /entry `chaos-test` in --allowed-contexts names no API server/],
    ['the allow-list only in the environment', () => ({ kubeconfig: file, context: TEST_CONTEXT, env: { STATUSCHAOS_ALLOWED_CONTEXTS: `${TEST_CONTEXT}=${SERVER}` } }), /not on the allow-list \(the list is empty\) \(STATUSCHAOS_ALLOWED_CONTEXTS is not read/],
  ] as const)('%s is a user error (exit 2)', ([, settings, message]) => {
    const error = (() => {
      try {
        kubeconfigBackend({ env: {}, ...settings() });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect(`${(error as UserError).message}\n${(error as UserError).hint}`).toMatch(message);
  });

  test('an allowed context on its pinned server passes, given on the command line (the default port and a trailing slash compare equal)', () => {
    expect(() => kubeconfigBackend({ env: {}, kubeconfig: file, context: TEST_CONTEXT, allowedContexts: [`${TEST_CONTEXT}=${SERVER}/`] })).not.toThrow();
  });

  test('the allow-list may be a file in the repository instead: `context server` per line, comments allowed', async () => {
    const listFile = join(dir, 'allowed-contexts');
    await writeFile(listFile, `# test clusters only\n${TEST_CONTEXT} ${SERVER}\n`);
    expect(resolveKubeconfigTarget({ env: {}, kubeconfig: file, context: TEST_CONTEXT }, listFile)).toMatchObject({ context: TEST_CONTEXT, server: SERVER });
    expect(() => resolveKubeconfigTarget({ env: {}, kubeconfig: file, context: OTHER_CONTEXT }, listFile)).toThrow(/`production` is not on the allow-list \(chaos-test\)/);
  });

  test('the kubeconfig is read once: a file swapped after the check does not change what the backend uses', async () => {
    const swapped = join(dir, 'swapped-kubeconfig');
    await writeFile(swapped, kubeconfigFile({ server: SERVER, token: 'x', caData: 'x' }));
    const target = resolveKubeconfigTarget({ env: {}, kubeconfig: swapped, context: TEST_CONTEXT, allowedContexts: [`${TEST_CONTEXT}=${SERVER}`] });
    await writeFile(swapped, kubeconfigFile({ server: 'https://production.example:6443', token: 'x', caData: 'x' }));
    const loaded = new KubeConfig();
    target.load(loaded);
    expect(loaded.getCurrentCluster()?.server).toBe(SERVER);
    expect(JSON.parse(singleContextKubeconfig(target))).toMatchObject({ 'current-context': TEST_CONTEXT, clusters: [{ cluster: { server: SERVER } }], contexts: [{ name: TEST_CONTEXT }] });
  });
});
