import { KubeConfig } from '@kubernetes/client-node';
import type { ApiAccess } from './kubeconfig.ts';

/** Returns a @kubernetes/client-node KubeConfig for `access` (TLS verified against its CA, bearer token). */
export function kubeConfigFor(access: ApiAccess): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'statuschaos', server: access.server, caData: Buffer.from(access.caData).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'statuschaos', token: access.token }],
    contexts: [{ name: 'statuschaos', cluster: 'statuschaos', user: 'statuschaos' }],
    currentContext: 'statuschaos',
  });
  return config;
}

/** Returns the HTTP status of a @kubernetes/client-node error (`ApiException.code`), or undefined. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
