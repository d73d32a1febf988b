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

/**
 * The exit code of a finished run's verdicts: 1 when an expectation failed or a run was
 * inconclusive, and 1 too when nothing was checked (no scenario run, or none with an expectation:
 * an empty interrupted run, variants no scenario expects anything of), said on stderr — a CI job
 * must not pass on nothing; 0 otherwise.
 */
export function verdictExitCode(summary: { pass: number; fail: number; inconclusive: number; scenarioRuns: number }, io: Pick<CliIo, 'stderr'>): number {
  if (summary.fail > 0 || summary.inconclusive > 0) return EXIT.failed;
  if (summary.pass === 0) {
    io.stderr.write(`statuschaos: nothing was checked: ${summary.scenarioRuns === 0 ? 'no scenario run finished' : `none of the ${summary.scenarioRuns} scenario run(s) had an expectation for the variants run`} (exit 1)\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
