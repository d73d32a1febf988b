import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

/** Where and how to reach an API server: the fields every client of the local backend needs. */
export interface ApiAccess {
  server: string;
  token: string;
  /** PEM of the CA that signed the server's certificate. */
  caData: string;
}

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
