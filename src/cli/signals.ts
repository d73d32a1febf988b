/**
 * Ctrl-C, SIGTERM and a parent that went away: the first stops the run (the abort signal every
 * command and backend listens to) and lets it clean up; a second gives up on the cleanup and
 * says what is left. Exit codes follow the shell's convention: 130 for SIGINT, 143 for SIGTERM.
 */
import { leftovers } from '../processes/leftovers.ts';
import { EXIT } from './io.ts';

/** Why a run was stopped; the abort signal's reason. */
export class Interrupted extends Error {
  readonly signal: 'SIGINT' | 'SIGTERM';
  constructor(signal: 'SIGINT' | 'SIGTERM', why: string) {
    super(`interrupted: ${why}`);
    this.name = 'Interrupted';
    this.signal = signal;
  }
}

/** The exit code of a run stopped for `reason` (the abort signal's reason). */
export function interruptedExitCode(reason: unknown): number {
  return reason instanceof Interrupted && reason.signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/** How often the CLI looks whether its parent is still there (npx killed by a CI cancel, say). */
const PARENT_CHECK_MS = 500;

/** Where the signals come from and how the process ends (the process itself, except in tests). */
export interface InterruptSources {
  /** emits 'SIGINT' and 'SIGTERM' */
  events: { on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown };
  ppid: () => number;
  /** ends the process (the processes this one started are killed on exit: backends/shared/processes.ts) */
  exit: (code: number) => void;
}

const PROCESS: InterruptSources = { events: process, ppid: () => process.ppid, exit: (code) => process.exit(code) };

/** Install the handlers; returns the signal a command gets. */
export function handleInterrupts(stderr: { write(text: string): unknown }, sources: InterruptSources = PROCESS): AbortSignal {
  const { events, ppid, exit } = sources;
  const controller = new AbortController();
  const stop = (signal: 'SIGINT' | 'SIGTERM', why: string) => {
    if (!controller.signal.aborted) {
      stderr.write(`statuschaos: ${why}: stopping, then cleaning up what the run started (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again to give up on the cleanup)\n`);
      controller.abort(new Interrupted(signal, why));
      return;
    }
    const left = leftovers();
    stderr.write(`statuschaos: ${why} again: cleanup abandoned; ${left.length === 0 ? 'nothing it started is known to be left' : `left behind:\n${left.map((item) => `  - ${item}`).join('\n')}`}\n`);
    exit(interruptedExitCode(controller.signal.reason));
  };
  events.on('SIGINT', () => stop('SIGINT', 'SIGINT'));
  events.on('SIGTERM', () => stop('SIGTERM', 'SIGTERM'));
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
