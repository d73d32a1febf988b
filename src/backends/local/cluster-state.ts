/**
 * A control plane kept running between commands (`statuschaos cluster up`): its address,
 * credentials and process groups in `<dir>/cluster.json` (mode 0600: it holds a token), so that
 * `status`, `down` and `run --backend local --cluster-dir <dir>` can find it.
 */
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from '../../processes/processes.ts';
import { stopRank, type ControlPlane, type EtcdProxy } from './control-plane/index.ts';


export interface ClusterState {
  server: string;
  token: string;
  caData: string;
  kubeconfigPath: string;
  logsDir: string;
  versions: Record<string, string>;
  /** absent in a state written before the etcd proxy existed: that plane cannot fault etcd */
  etcdProxy?: EtcdProxy;
  processes: { name: string; pid: number }[];
  startedAt: string;
}

export const stateFile = (dir: string) => join(dir, 'cluster.json');

export async function saveClusterState(dir: string, plane: ControlPlane): Promise<ClusterState> {
  const state: ClusterState = {
    server: plane.server,
    token: plane.token,
    caData: plane.caData,
    kubeconfigPath: plane.kubeconfigPath,
    logsDir: plane.logsDir,
    versions: plane.versions,
    etcdProxy: plane.etcdProxy,
    processes: [...plane.processes],
    startedAt: new Date().toISOString(),
  };
  await writeFile(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await chmod(stateFile(dir), 0o600);
  return state;
}

export async function loadClusterState(dir: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dir), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

/** Which of the recorded processes are still running. */
export function liveProcesses(state: ClusterState): { name: string; pid: number }[] {
  return state.processes.filter(({ pid }) => isAlive(pid));
}

/** Stop every recorded process group (TERM, then KILL after `graceMs`) and forget the state. */
export async function stopFromState(dir: string, state: ClusterState, graceMs = 3_000): Promise<string[]> {
  const stopped: string[] = [];
  // clients first, etcd last (as ControlPlane.stop does)
  const order = [...state.processes].sort((a, b) => stopRank(a.name) - stopRank(b.name));
  for (const { name, pid } of order) {
    if (!isAlive(pid)) continue;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      continue;
    }
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (isAlive(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone between the check and the kill
      }
    }
    stopped.push(`${name} (pid ${pid})`);
  }
  await rm(stateFile(dir), { force: true });
  return stopped;
}
