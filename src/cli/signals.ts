/**
 * Ctrl-C, SIGTERM, SIGHUP (a closed terminal), SIGQUIT (Ctrl-\\) and a parent that went away: the
 * first stops the run (the abort signal every command and backend listens to) and lets it clean
 * up; a second gives up on the cleanup and says what is left. Either way the process exits with
 * the shell's code for the signal, 128 + its number (130 SIGINT, 143 SIGTERM, 129 SIGHUP, 131
 * SIGQUIT), and what must happen on every exit (the lock, run.json's status) is done by
 * record/exit-hooks.ts.
 */
import { leftovers } from '../processes/leftovers.ts';
import { currentPhase } from './phase.ts';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** 128 + the signal's number, as a shell reports a process the signal ended. */
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGTERM: 143 };

const SPOKEN: Readonly<Record<StopSignal, string>> = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM', SIGHUP: 'SIGHUP', SIGQUIT: 'SIGQUIT' };

/** Why a run was stopped; the abort signal's reason. */
export class Interrupted extends Error {
  readonly signal: StopSignal;
  constructor(signal: StopSignal, why: string) {
    super(`interrupted: ${why}`);
    this.name = 'Interrupted';
    this.signal = signal;
  }
}

/** The exit code of a run stopped for `reason` (the abort signal's reason). */
export function interruptedExitCode(reason: unknown): number {
  return reason instanceof Interrupted ? SIGNAL_EXIT_CODES[reason.signal] : SIGNAL_EXIT_CODES.SIGINT;
}

/** How often the CLI looks whether its parent is still there (npx killed by a CI cancel, say). */
const PARENT_CHECK_MS = 500;

/** Where the signals come from and how the process ends (the process itself, except in tests). */
export interface InterruptSources {
  /** emits the stop signals */
  events: { on(event: StopSignal, listener: () => void): unknown };
  ppid: () => number;
  /** ends the process (the processes this one started are killed on exit: backends/shared/processes.ts) */
  exit: (code: number) => void;
}

const PROCESS: InterruptSources = { events: process, ppid: () => process.ppid, exit: (code) => process.exit(code) };

/** Install the handlers; returns the signal a command gets. */
export function handleInterrupts(stderr: { write(text: string): unknown }, sources: InterruptSources = PROCESS): AbortSignal {
  const { events, ppid, exit } = sources;
  const controller = new AbortController();
  const stop = (signal: StopSignal, why: string) => {
    if (!controller.signal.aborted) {
      const phase = currentPhase();
      stderr.write(`statuschaos: ${why}${phase ? ` while ${phase}` : ''}: stopping, then cleaning up what the run started (${SPOKEN[signal]} again to give up on the cleanup)\n`);
      controller.abort(new Interrupted(signal, why));
      return;
    }
    const left = leftovers();
    stderr.write(`statuschaos: ${why} again: cleanup abandoned; ${left.length === 0 ? 'nothing it started is known to be left' : `left behind:\n${left.map((item) => `  - ${item}`).join('\n')}`}\n`);
    exit(interruptedExitCode(controller.signal.reason));
  };
  for (const name of STOP_SIGNALS) events.on(name, () => stop(name, name));
  // npx, npm and sh do not pass a SIGTERM on: when the parent dies, this process is adopted by
  // another (its ppid changes) and stops as if it had been sent SIGTERM
  const parent = ppid();
  const watch = setInterval(() => {
    if (ppid() !== parent) {
      clearInterval(watch);
      stop('SIGTERM', `the parent process (pid ${parent}) went away`);
    }
  }, PARENT_CHECK_MS);
  watch.unref();
  return controller.signal;
}
