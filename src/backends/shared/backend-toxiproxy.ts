/**
 * The toxiproxy-server every live backend runs on this machine, and what a live backend shares
 * in starting its cluster: one start for all its scenarios, tried again after a failure.
 */
import { BackendError } from '../backend.ts';
import { defaultToxiproxyBinary, startToxiproxyServer, type StartToxiproxyServerOptions, type ToxiproxyServer } from './toxiproxy/index.ts';

/** Start toxiproxy-server (the .tools binary unless the env names another); a failure is a BackendError (exit 3) with a hint. */
export async function startBackendToxiproxy(
  env: NodeJS.ProcessEnv,
  logFile: string,
  signal: AbortSignal | undefined,
  start: (options: StartToxiproxyServerOptions) => Promise<ToxiproxyServer> = startToxiproxyServer,
): Promise<ToxiproxyServer> {
  try {
    return await start({ binary: defaultToxiproxyBinary(env), logFile, ...(signal ? { signal } : {}) });
  } catch (error) {
    throw new BackendError(`toxiproxy-server did not start: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'build it with `npm run tools` (or put toxiproxy-server in $STATUSCHAOS_TOOLS_DIR/bin)',
      cause: error,
    });
  }
}

/** `start` run once and shared by every caller; forgotten when it fails, so the next caller tries again. */
export function startOnce<T, A>(start: (argument: A) => Promise<T>): { get(argument: A): Promise<T>; reset(): void } {
  let started: Promise<T> | undefined;
  return {
    get(argument) {
      started ??= start(argument).catch((error: unknown) => {
        started = undefined;
        throw error;
      });
      return started;
    },
    reset() {
      started = undefined;
    },
  };
}
