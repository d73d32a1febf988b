/**
 * Before anything starts: kind, a Docker CLI with a daemon that answers, and kubectl (for
 * `kubectl exec`). Each missing piece is a BackendError (exit 3) saying what to install or start.
 */
import { execa } from 'execa';
import { BackendError } from '../backend.ts';
import { findKubectl } from '../shared/exec-restart.ts';
import { builtOrPath } from '../shared/tools-dir.ts';
import { INSTALL_HINTS, runCommand, type CommandContext } from './commands.ts';

export interface KindTools {
  kind: string;
  docker: string;
  kubectl: string;
  versions: Record<string, string>;
}

/** Check every tool the kind backend runs; resolves with their paths and versions. */
export async function checkKindTools(context: CommandContext): Promise<KindTools> {
  const kind = builtOrPath('kind', context.env);
  const kindVersion = await runCommand(context, kind, ['version'], { purpose: 'the kind backend (it creates the cluster)' });
  await runCommand(context, 'docker', ['version', '--format', '{{.Client.Version}}'], { purpose: 'the kind backend (it builds the REST stub image)' }).catch((error: unknown) => {
    // an old CLI without --format, or a daemon that does not answer: `docker info` below tells which
    if (error instanceof BackendError && /not installed/.test(error.message)) throw error;
  });
  let dockerServer: string;
  try {
    dockerServer = (await runCommand(context, 'docker', ['info', '--format', '{{.ServerVersion}}'], { purpose: 'reaching the Docker daemon', timeoutMs: 30_000 })).trim();
  } catch (error) {
    if (error instanceof BackendError && /not installed/.test(error.message)) throw error;
    // a daemon that is installed but not running, where we may start it: the backend starts it (docker-engine.ts)
    if (await canStartDockerd(context.env)) dockerServer = 'not running yet (started by this run)';
    else {
      const detail = error instanceof Error ? error.message.split('\n').slice(1).join(' ').trim() : '';
      throw new BackendError(`the Docker daemon is not reachable (\`docker info\` failed${detail ? `: ${detail}` : ''})`, {
        hint: 'start Docker (`sudo systemctl start docker`, or Docker Desktop) and check that `docker info` works for this user; kind runs its nodes as containers',
        cause: error,
      });
    }
  }
  const kubectl = await findKubectl(context.env);
  if (kubectl === undefined) throw new BackendError('kubectl is not installed (not on PATH, not in .tools/bin) but the kind backend needs it for `kubectl exec` (restart-jobmanager)', { hint: INSTALL_HINTS.kubectl });
  return { kind, docker: 'docker', kubectl, versions: { kind: kindVersion.trim(), docker: dockerServer } };
}

/** Root, with dockerd on PATH. */
async function canStartDockerd(env: NodeJS.ProcessEnv): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  return (await execa('sh', ['-c', 'command -v dockerd'], { env, reject: false })).exitCode === 0;
}
