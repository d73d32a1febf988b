// Which cluster the kubeconfig backend may use, decided before any connection: the allow-list,
// the kubeconfig file and its contexts. No server is needed (the file points at a closed port).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { kubeconfigBackend } from '../../../src/backends/kubeconfig/backend.ts';
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

  test('a context off the allow-list is refused with exit 2, naming the context and the fix', async () => {
    const { code, stderr } = await cli(['run', '--backend', 'kubeconfig', '--kubeconfig', file, '--context', OTHER_CONTEXT, '--allowed-contexts', TEST_CONTEXT, '--out', dir, incident]);
    expect(code).toBe(2);
    expect(stderr).toContain(`context \`${OTHER_CONTEXT}\` is not on the allow-list (${TEST_CONTEXT})`);
    expect(stderr).toContain(`--allowed-contexts ${OTHER_CONTEXT}`);
  });

  test('the file\'s current context is checked too, and an empty allow-list allows nothing', async () => {
    const { code, stderr } = await cli(['run', '--backend', 'kubeconfig', '--kubeconfig', file, '--out', dir, incident]);
    expect(code).toBe(2);
    expect(stderr).toContain(`context \`${OTHER_CONTEXT}\` is not on the allow-list (the list is empty)`);
  });

  test.for([
    ['no --kubeconfig', () => ({}), /needs `--kubeconfig FILE`/],
    ['a missing file', () => ({ kubeconfig: '/nonexistent/kubeconfig' }), /cannot read the kubeconfig: no such file/],
    ['an unknown context', () => ({ kubeconfig: file, context: 'chaos-tset', allowedContexts: ['chaos-tset'] }), /has no context `chaos-tset`[\s\S]*did you mean `chaos-test`/],
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

  test('STATUSCHAOS_ALLOWED_CONTEXTS is the allow-list when no flag is given', () => {
    expect(() => kubeconfigBackend({ env: { STATUSCHAOS_ALLOWED_CONTEXTS: `other, ${TEST_CONTEXT}` }, kubeconfig: file, context: TEST_CONTEXT })).not.toThrow();
    expect(() => kubeconfigBackend({ env: { STATUSCHAOS_ALLOWED_CONTEXTS: 'other' }, kubeconfig: file, context: TEST_CONTEXT })).toThrow(/not on the allow-list \(other\)/);
  });
});

