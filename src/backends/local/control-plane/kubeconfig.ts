import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { ApiAccess } from '../../shared/kube-access.ts';


/** Returns kubeconfig YAML for `access`: TLS verified against its CA, bearer-token auth. */
export function kubeconfigYaml(access: ApiAccess, name = 'statuschaos-local'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: access.server, 'certificate-authority-data': Buffer.from(access.caData).toString('base64'), 'insecure-skip-tls-verify': false } }],
    users: [{ name, user: { token: access.token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}

/** Writes a kubeconfig for `access` to `path`, readable by its owner only (it holds the token). */
export async function writeKubeconfig(path: string, access: ApiAccess): Promise<void> {
  await writeFile(path, kubeconfigYaml(access), { mode: 0o600 });
}
