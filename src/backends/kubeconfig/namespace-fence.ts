/**
 * The kubeconfig backend's fence: the harness's own client may touch only namespaces this run
 * created with its ownership label, and read nodes (to tell kwok nodes from kubelets). Every
 * request of that client passes `NamespaceFence.check` before it leaves the process: the check
 * sits in the KubeConfig's authentication step, which every API call and watch goes through.
 */
import { AppsV1Api, CoreV1Api, KubeConfig, NetworkingV1Api, type RequestContext, type V1Namespace } from '@kubernetes/client-node';
import { BackendError } from '../backend.ts';
import type { ApiClients } from '../shared/kube-access.ts';
import { OWNER_LABEL } from '../shared/namespaces.ts';

/** A request the fence refused; nothing was sent. */
export class NamespaceFenceError extends BackendError {
  constructor(message: string) {
    super(message, { hint: 'the kubeconfig backend works only inside the namespaces it creates and labels (docs/backends.md); this is a bug in the harness, please report it' });
    this.name = 'NamespaceFenceError';
  }
}

const NAMESPACED = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)\/namespaces\/([^/]+)(?:\/.*)?$/;
/** Cluster-scoped reads the backend needs: which node a pod is on, and the server's version. */
const CLUSTER_READS = [/^\/api\/v1\/nodes\/[^/]+$/, /^\/version\/?$/];

export class NamespaceFence {
  readonly runId: string;
  private readonly owned = new Set<string>();

  constructor(runId: string) {
    this.runId = runId;
  }

  /** A namespace this run created (the API answered the create with the run's label on it). */
  adopt(namespace: V1Namespace): void {
    const name = namespace.metadata?.name;
    if (name !== undefined && namespace.metadata?.labels?.[OWNER_LABEL] === this.runId) this.owned.add(name);
  }

  owns(name: string): boolean {
    return this.owned.has(name);
  }

  /** Every namespace this run created (deleted or not). */
  ownedNamespaces(): string[] {
    return [...this.owned];
  }

  /** Why the request must not be sent, or undefined when it may. */
  check(method: string, url: string, body: unknown): string | undefined {
    const path = new URL(url).pathname;
    if (path === '/api/v1/namespaces' && method === 'POST') {
      const labels = parseBody(body)?.metadata?.labels;
      return labels?.[OWNER_LABEL] === this.runId ? undefined : `creating a namespace without the label ${OWNER_LABEL}=${this.runId}`;
    }
    const namespaced = NAMESPACED.exec(path);
    if (namespaced) {
      const name = decodeURIComponent(namespaced[1]!);
      return this.owned.has(name) ? undefined : `namespace \`${name}\` was not created by this run (label ${OWNER_LABEL}=${this.runId})`;
    }
    if (method === 'GET' && CLUSTER_READS.some((pattern) => pattern.test(path))) return undefined;
    return `${path} is outside the run's namespaces`;
  }

  /**
   * Why a request of the trackers' client must not be sent: it may only read (GET) inside the
   * run's namespaces, as StreamPark's tracker does (deployments, pods, their logs, services, ingresses).
   */
  checkRead(method: string, url: string): string | undefined {
    if (method !== 'GET') return `the trackers' client only reads (${method} refused)`;
    const namespaced = NAMESPACED.exec(new URL(url).pathname);
    if (namespaced === null) return `${new URL(url).pathname} is outside the run's namespaces`;
    const name = decodeURIComponent(namespaced[1]!);
    return this.owned.has(name) ? undefined : `namespace \`${name}\` was not created by this run (label ${OWNER_LABEL}=${this.runId})`;
  }

  /** Throw a NamespaceFenceError unless the request may be sent (`reader`: the trackers' read-only client). */
  assertAllowed(method: string, url: string, body: unknown, reader = false): void {
    const reason = reader ? this.checkRead(method, url) : this.check(method, url, body);
    if (reason !== undefined) throw new NamespaceFenceError(`refused ${method} ${new URL(url).pathname}${reader ? " (trackers' client)" : ''}: ${reason}`);
  }

  /** Throw unless the namespace is one of the run's (for calls outside the API client: kubectl exec). */
  assertOwned(namespace: string, what: string): void {
    if (!this.owned.has(namespace)) throw new NamespaceFenceError(`refused ${what} in namespace \`${namespace}\`: it was not created by this run (label ${OWNER_LABEL}=${this.runId})`);
  }
}

function parseBody(body: unknown): V1Namespace | undefined {
  try {
    return typeof body === 'string' ? (JSON.parse(body) as V1Namespace) : (body as V1Namespace | undefined);
  } catch {
    return undefined;
  }
}

/**
 * A KubeConfig whose every request is checked by the fence first; websocket calls (exec,
 * attach) are refused outright. `reader`: the trackers' client, which may only read.
 */
export class FencedKubeConfig extends KubeConfig {
  readonly fence: NamespaceFence;
  private readonly reader: boolean;

  constructor(fence: NamespaceFence, options: { reader?: boolean } = {}) {
    super();
    this.fence = fence;
    this.reader = options.reader ?? false;
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    this.fence.assertAllowed(context.getHttpMethod(), context.getUrl(), context.getBody(), this.reader);
    return super.applySecurityAuthentication(context);
  }

  override async applyToHTTPSOptions(): Promise<void> {
    throw new NamespaceFenceError('refused a websocket request (exec, attach, port-forward) on the fenced client: its URL cannot be checked');
  }
}

/** The harness's admin clients on a fenced config; a namespace it creates is adopted once the API confirms it. */
export function fencedApiClients(kubeConfig: FencedKubeConfig): ApiClients {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const create = core.createNamespace.bind(core);
  core.createNamespace = async (...args: Parameters<CoreV1Api['createNamespace']>) => {
    const created = await create(...args);
    kubeConfig.fence.adopt(created);
    return created;
  };
  return { kubeConfig, core, apps: kubeConfig.makeApiClient(AppsV1Api), networking: kubeConfig.makeApiClient(NetworkingV1Api) };
}
