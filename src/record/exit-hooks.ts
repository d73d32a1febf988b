/**
 * What must happen however the process ends — a command returning, an error, a second Ctrl-C
 * that gives up on the cleanup and exits at once, process.exit anywhere: the output folder's lock
 * released, a run.json or explore.json still saying `running` rewritten as `interrupted`,
 * temporary files removed. Each hook is synchronous (Node runs nothing asynchronous on exit) and
 * is unregistered by the normal path once that path has done the same work.
 */

const hooks = new Set<() => void>();
let installed = false;

function runHooks(): void {
  for (const hook of [...hooks].reverse()) {
    try {
      hook();
    } catch {
      // exiting: each hook does what it can, none stops the others
    }
  }
  hooks.clear();
}

/** Run `hook` (synchronously) when the process exits, unless the returned function is called first. */
export function onExit(hook: () => void): () => void {
  if (!installed) {
    process.on('exit', runHooks);
    installed = true;
  }
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}
