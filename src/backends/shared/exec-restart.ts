/**
 * A container restart on a real kubelet: kill the JobManager container's main process with
 * `kubectl exec`, so the kubelet starts the container again in the same pod (restartCount + 1,
 * lastState.terminated), as when a JobManager dies. PID 1 ignores signals it has no handler for,
 * so the main process must handle SIGTERM (the REST stub and the JVM do).
 */
import { execa } from 'execa';
import { BackendError } from '../backend.ts';
import { builtOrPath } from './tools-dir.ts';
import { JOBMANAGER_CONTAINER } from './workload.ts';

export interface KubectlTarget {
  /** kubectl to run (a path or a name on PATH) */
  kubectl: string;
  kubeconfigPath: string;
  context?: string;
  env: NodeJS.ProcessEnv;
}

/** The kubectl `npm run tools` built, else the one on PATH; undefined when neither runs. */
export async function findKubectl(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const first = builtOrPath('kubectl', env);
  for (const candidate of first === 'kubectl' ? ['kubectl'] : [first, 'kubectl']) {
    const result = await execa(candidate, ['version', '--client'], { env, reject: false, stdin: 'ignore', timeout: 15_000 });
    if (!result.failed) return candidate;
  }
  return undefined;
}

/** The kubectl arguments that run `script` with sh in a container (default: the JobManager's) of a pod. */
export function execArgs(target: KubectlTarget, namespace: string, pod: string, script: string, container = JOBMANAGER_CONTAINER): string[] {
  return ['--kubeconfig', target.kubeconfigPath, ...(target.context ? ['--context', target.context] : []), '--namespace', namespace, 'exec', pod, '--container', container, '--', 'sh', '-c', script];
}

/** Run `script` in a container of a pod (`pod` may be `deployment/<name>`); throws with kubectl's words when it fails. */
export async function execInPod(target: KubectlTarget, namespace: string, pod: string, script: string, container: string): Promise<void> {
  const result = await execa(target.kubectl, execArgs(target, namespace, pod, script, container), { env: target.env, reject: false, stdin: 'ignore', timeout: 30_000 });
  if (result.failed) throw new BackendError(`\`kubectl ${execArgs(target, namespace, pod, script, container).join(' ')}\` failed (exit code ${result.exitCode ?? result.code})${result.stderr.trim() ? `: ${result.stderr.trim()}` : ''}`);
}

/**
 * Run `script` (ending in `kill 1`) in the pod's JobManager container. The exec session dies with
 * the process it killed, so kubectl may exit non-zero after a successful kill: only a failure
 * before the kill (no such pod, exec refused) is an error, told apart by kubectl's message.
 */
export async function killMainProcess(target: KubectlTarget, namespace: string, pod: string, script = 'kill 1'): Promise<void> {
  const result = await execa(target.kubectl, execArgs(target, namespace, pod, script), { env: target.env, reject: false, stdin: 'ignore', timeout: 30_000 });
  if (!result.failed) return;
  if (result.code === 'ENOENT') throw new BackendError(`kubectl is not installed (not found on PATH) but is needed to restart the JobManager container of ${namespace}/${pod}`, { hint: 'install kubectl, or build it with `npm run tools`' });
  const stderr = result.stderr.trim();
  // exit 137/143 or a closed stream: the container's processes went away under the exec, as intended
  if (result.exitCode === 137 || result.exitCode === 143 || /exit code (137|143)\b|connection .*(closed|reset)|\bEOF\b/i.test(stderr)) return;
  throw new BackendError(`restarting the JobManager container of ${namespace}/${pod} failed: \`kubectl ${execArgs(target, namespace, pod, script).join(' ')}\` exit code ${result.exitCode ?? result.code}${stderr ? `: ${stderr}` : ''}`);
}
