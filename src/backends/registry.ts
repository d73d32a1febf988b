/** Backends by name, created from CLI settings. */
import { UserError, UserErrors } from '../errors/user-error.ts';
import type { Scenario } from '../scenario/types.ts';
import { FAULT_TARGETS, UNSUPPORTED_ACTIONS, type Backend, type BackendName, type BackendSettings } from './backend.ts';
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

/** Throws UserErrors (exit 2) naming every fault and action of `scenarios` that backend `name` cannot apply, before anything starts. */
export function assertScenariosSupported(name: BackendName, scenarios: readonly Scenario[]): void {
  const supported = FAULT_TARGETS[name];
  const backendsFor = (can: (other: BackendName) => boolean) => (Object.keys(FAULT_TARGETS) as BackendName[]).filter(can).map((other) => `--backend ${other}`).join(' or ');
  const errors = scenarios.flatMap((scenario) => {
    const where = (line: number | undefined) => ({ file: scenario.file, ...(line === undefined ? {} : { line }) });
    return [
      ...scenario.faults
        .filter((fault) => !supported.includes(fault.spec.target))
        .map(
          (fault) =>
            new UserError(`the ${name} backend cannot put a fault on \`${fault.spec.target}\`: ${fault.spec.target === 'etcd' ? 'its API server talks to etcd directly, with nothing in between to fault' : 'it has no such path'}`, {
              location: where(fault.line),
              hint: `run this scenario with ${backendsFor((other) => FAULT_TARGETS[other].includes(fault.spec.target))}`,
            }),
        ),
      ...scenario.actions
        .filter((action) => UNSUPPORTED_ACTIONS[name].includes(action.action))
        .map(
          (action) =>
            new UserError(`the ${name} backend cannot perform \`${action.action}\`: it can only kill the JobManager's process, and the kubelet brings it back`, {
              location: where(action.line),
              hint: `run this scenario with ${backendsFor((other) => !UNSUPPORTED_ACTIONS[other].includes(action.action))}`,
            }),
        ),
    ];
  });
  if (errors.length > 0) throw new UserErrors(errors);
}
