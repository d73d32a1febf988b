/** What a command gets from the outside world; passed in so tests can run the CLI in-process. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  cwd?: string;
  /** aborted on Ctrl-C: commands stop, clean up and exit */
  signal?: AbortSignal;
}

/** Exit codes: 0 every expectation held, 1 one failed, 2 bad input or usage, 3 the backend could not run, 130 SIGINT, 143 SIGTERM. */
export const EXIT = { ok: 0, failed: 1, usage: 2, backend: 3, interrupted: 130, terminated: 143 } as const;
