/** `statuschaos cluster up|down|status`: a local control plane that outlives one command. */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BackendError } from '../../backends/backend.ts';
import { startControlPlane } from '../../backends/local/control-plane/index.ts';
import { liveProcesses, loadClusterState, saveClusterState, stopFromState } from '../../backends/local/cluster-state.ts';
import { UserError } from '../../errors/user-error.ts';
import { choiceFlag, flagOrEnv, parseCommandArgs } from '../args.ts';
import { EXIT, type CliIo } from '../io.ts';

export const CLUSTER_HELP = `Usage: statuschaos cluster up|down|status [--backend local] [--cluster-dir DIR]

Keeps a local control plane running between commands (etcd, kube-apiserver,
kube-controller-manager, kube-scheduler and kwok on 127.0.0.1, from \`npm run tools\`):
  up      start it and print its kubeconfig; it keeps running after the command ends
  status  say whether it runs, and which processes are alive
  down    stop every process it started
Then \`statuschaos run … --backend local --cluster-dir DIR\` uses it instead of starting one.
--cluster-dir (env STATUSCHAOS_CLUSTER_DIR) defaults to .statuschaos/cluster.
`;

export async function clusterCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('cluster', argv, { backend: { type: 'string' }, 'cluster-dir': { type: 'string' } });
  if (values.help) {
    io.stdout.write(CLUSTER_HELP);
    return EXIT.ok;
  }
  const backend = choiceFlag('backend', flagOrEnv(values, 'backend', io.env) ?? 'local', ['local'] as const);
  if (backend !== 'local') throw new UserError('only the local backend has a cluster to manage');
  const dir = resolve(io.cwd ?? process.cwd(), flagOrEnv(values, 'cluster-dir', io.env) ?? join('.statuschaos', 'cluster'));
  const verb = positionals[0];
  const state = await loadClusterState(dir);
  switch (verb) {
    case 'up': {
      if (state !== undefined && liveProcesses(state).length > 0) {
        io.stdout.write(`already running: ${state.server}\nkubeconfig: ${state.kubeconfigPath}\n`);
        return EXIT.ok;
      }
      await mkdir(dir, { recursive: true });
      let plane;
      try {
        plane = await startControlPlane({ runDir: dir, outliveHarness: true, onProgress: (message) => io.stderr.write(`statuschaos: ${message}\n`), ...(io.signal ? { signal: io.signal } : {}) });
      } catch (error) {
        throw new BackendError(`the local control plane did not start: ${error instanceof Error ? error.message : String(error)}`, { hint: 'build the tools first: `npm run tools`' });
      }
      const saved = await saveClusterState(dir, plane);
      io.stdout.write(`running: ${saved.server}\nkubeconfig: ${saved.kubeconfigPath}\nstop it with: statuschaos cluster down --cluster-dir ${dir}\n`);
      return EXIT.ok;
    }
    case 'status': {
      if (state === undefined) {
        io.stdout.write(`not running (no ${join(dir, 'cluster.json')})\n`);
        return EXIT.failed;
      }
      const alive = liveProcesses(state);
      io.stdout.write(`${alive.length === state.processes.length ? 'running' : alive.length === 0 ? 'stopped' : 'degraded'}: ${state.server} since ${state.startedAt}\n`);
      for (const { name, pid } of state.processes) io.stdout.write(`  ${alive.some((p) => p.pid === pid) ? 'up  ' : 'DOWN'} ${name} (pid ${pid})\n`);
      return alive.length === state.processes.length ? EXIT.ok : EXIT.failed;
    }
    case 'down': {
      if (state === undefined) {
        io.stdout.write('nothing to stop\n');
        return EXIT.ok;
      }
      const stopped = await stopFromState(dir, state);
      io.stdout.write(stopped.length === 0 ? 'nothing was running\n' : `stopped: ${stopped.join(', ')}\n`);
      return EXIT.ok;
    }
    default:
      throw new UserError(verb === undefined ? 'cluster needs a verb' : `unknown cluster verb \`${verb}\``, { hint: 'up, down or status' });
  }
}
