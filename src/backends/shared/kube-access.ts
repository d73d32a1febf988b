/**
 * Kubernetes API access for live backends: the harness's own (unfaulted) client, and the
 * trackers' client, which reaches the API server only through the Toxiproxy `apiserver` proxy.
 */
import { AppsV1Api, CoreV1Api, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';

export interface ApiClients {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  networking: NetworkingV1Api;
}

export function apiClients(kubeConfig: KubeConfig): ApiClients {
  return { kubeConfig, core: kubeConfig.makeApiClient(CoreV1Api), apps: kubeConfig.makeApiClient(AppsV1Api), networking: kubeConfig.makeApiClient(NetworkingV1Api) };
}

/** `host:port` of an API server URL (the `apiserver` proxy's upstream). */
export function serverAddress(server: string): string {
  const url = new URL(server);
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/** Where and how to reach an API server with a bearer token: the local control plane's admin. */
export interface ApiAccess {
  server: string;
  token: string;
  /** PEM of the CA that signed the server's certificate. */
  caData: string;
}

/** A kubeconfig for a server, CA and bearer token (TLS verified against the CA). */
export function tokenKubeConfig(access: ApiAccess): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'statuschaos', server: access.server, caData: Buffer.from(access.caData).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'statuschaos', token: access.token }],
    contexts: [{ name: 'statuschaos', cluster: 'statuschaos', user: 'statuschaos' }],
    currentContext: 'statuschaos',
  });
  return kubeConfig;
}

/**
 * The same cluster and credentials, reached at `proxyUrl` instead, loaded into `into` (a fenced
 * config, say). When the server's certificate was issued for another name, TLS still checks it
 * through `tls-server-name`.
 */
export function throughProxy<T extends KubeConfig>(kubeConfig: KubeConfig, proxyUrl: string, into: T): T;
export function throughProxy(kubeConfig: KubeConfig, proxyUrl: string): KubeConfig;
export function throughProxy(kubeConfig: KubeConfig, proxyUrl: string, into: KubeConfig = new KubeConfig()): KubeConfig {
  const cluster = kubeConfig.getCurrentCluster();
  const user = kubeConfig.getCurrentUser();
  if (cluster === null || user === null) throw new Error('the kubeconfig has no current cluster or user');
  const original = new URL(cluster.server);
  const proxied = into;
  proxied.loadFromOptions({
    clusters: [{ ...cluster, name: 'through-proxy', server: proxyUrl, ...(original.hostname !== '127.0.0.1' && !cluster.tlsServerName ? { tlsServerName: original.hostname } : {}) }],
    users: [{ ...user }],
    contexts: [{ name: 'through-proxy', cluster: 'through-proxy', user: user.name }],
    currentContext: 'through-proxy',
  });
  return proxied;
}

/** The HTTP status of a @kubernetes/client-node error (`ApiException.code`), or undefined. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
