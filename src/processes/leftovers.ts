/**
 * What the harness has started and not yet removed (processes, namespaces, clusters), so that a
 * second Ctrl-C, which gives up on the cleanup, can say what is left instead of nothing.
 */

const pending = new Map<number, string>();
let nextKey = 0;

/** Note something the harness started; call the returned function once it is removed. */
export function noteStarted(description: string): () => void {
  const key = nextKey++;
  pending.set(key, description);
  return () => {
    pending.delete(key);
  };
}

/** Everything started and not removed yet, oldest first. */
export function leftovers(): string[] {
  return [...pending.values()];
}
