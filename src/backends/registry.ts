/** Backends by name, created from CLI settings. */
import { UserError } from '../errors/user-error.ts';
import type { Backend, BackendName } from './backend.ts';
import { simBackend } from './sim/backend.ts';

export interface BackendSettings {
  env: NodeJS.ProcessEnv;
  /** kubeconfig backend: the cluster's kubeconfig file */
  kubeconfig?: string;
  /** kubeconfig backend: the context to use (default: the file's current context) */
  context?: string;
  /** kubeconfig backend: the contexts the harness may use (else STATUSCHAOS_ALLOWED_CONTEXTS) */
  allowedContexts?: string[];
  /** kind backend: leave the cluster it created running */
  keepCluster?: boolean;
  /** kind: a real Flink image in application mode instead of the REST stub image; kubeconfig: the JobManager pod's image */
  flinkImage?: string;
  /** local backend: use the control plane `statuschaos cluster up` left running there */
  clusterDir?: string;
  /** folder for cluster state and logs (the run's output folder) */
  workDir?: string;
}

/** The backend of that name; kind and kubeconfig check their tools and settings here, before any scenario runs. */
export async function createBackend(name: BackendName, settings: BackendSettings): Promise<Backend> {
  switch (name) {
    case 'sim':
      return simBackend;
    case 'local': {
      const { localBackend } = await import('./local/backend.ts');
      return localBackend(settings);
    }
    case 'kind': {
      const { kindBackend } = await import('./kind/backend.ts');
      return kindBackend(settings);
    }
    case 'kubeconfig': {
      const { kubeconfigBackend } = await import('./kubeconfig/backend.ts');
      return kubeconfigBackend(settings);
    }
    default:
      throw new UserError(`unknown backend ${String(name)}`);
  }
}
