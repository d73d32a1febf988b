// What live tests look at to prove cleanup: processes (through /proc) and loopback ports.
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';

/** PIDs of live processes for which `matches(pid)` holds; one that vanishes or cannot be read does not match. */
export async function findProcesses(matches: (pid: number) => Promise<boolean>): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (await matches(Number(entry))) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** True when nothing accepts connections on 127.0.0.1:`port` any more. */
export function portRefused(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}
