/**
 * Last line of defence against leftovers: process groups a backend started are killed when the
 * harness process exits, whatever the reason (an uncaught error, process.exit). Orderly cleanup
 * happens first, elsewhere; this only catches what it missed. SIGKILL of the harness itself
 * cannot be caught: `statuschaos cluster down` cleans up after that.
 */
const groups = new Set<number>();
let installed = false;

export function guardProcessGroup(pid: number): void {
  groups.add(pid);
  if (installed) return;
  installed = true;
  process.once('exit', () => {
    for (const group of groups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export function releaseProcessGroup(pid: number): void {
  groups.delete(pid);
}
