// A kubeconfig file for the kubeconfig backend's tests: one server, two contexts.
import { stringify } from 'yaml';

export const TEST_CONTEXT = 'chaos-test';
export const OTHER_CONTEXT = 'production';

/** A kubeconfig with two contexts on one server: the allowed test context and one that must be refused. */
export function kubeconfigFile(access: { server: string; token: string; caData: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: access.server, 'certificate-authority-data': Buffer.from(access.caData).toString('base64') } }],
    users: [{ name: 'admin', user: { token: access.token } }],
    contexts: [
      { name: TEST_CONTEXT, context: { cluster: 'local', user: 'admin' } },
      { name: OTHER_CONTEXT, context: { cluster: 'local', user: 'admin' } },
    ],
    'current-context': OTHER_CONTEXT,
  });
}
