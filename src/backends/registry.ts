/** Backends by name, created from CLI settings. */
import { UserError } from '../errors/user-error.ts';
import type { Backend, BackendName, BackendSettings } from './backend.ts';
import { simBackend } from './sim/backend.ts';

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
