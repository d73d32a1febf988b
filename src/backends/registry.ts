/** Backends by name, created from CLI settings. */
import { UserError } from '../errors/user-error.ts';
import { BackendError, type Backend, type BackendName } from './backend.ts';
import { simBackend } from './sim/backend.ts';

export interface BackendSettings {
  env: NodeJS.ProcessEnv;
  kubeconfig?: string;
  context?: string;
  allowedContexts?: string[];
  keepCluster?: boolean;
  /** local backend: use the control plane `statuschaos cluster up` left running there */
  clusterDir?: string;
  /** folder for cluster state and logs (the run's output folder) */
  workDir?: string;
}

export async function createBackend(name: BackendName, settings: BackendSettings): Promise<Backend> {
  switch (name) {
    case 'sim':
      return simBackend;
    case 'local': {
      const { localBackend } = await import('./local/backend.ts');
      return localBackend(settings);
    }
    case 'kind':
    case 'kubeconfig':
      throw new BackendError(`the ${name} backend is not built yet`);
    default:
      throw new UserError(`unknown backend ${String(name)}`);
  }
}
