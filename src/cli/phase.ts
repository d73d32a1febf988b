/**
 * The phase a command is in (loading, validating, simulating, writing reports, shrinking,
 * merging, rendering), for the message a stop prints. Tests of stopping at every phase set
 * STATUSCHAOS_TEST_PAUSE_AT=<phase>: the command then waits at the start of that phase until it
 * is stopped, so the signal lands there whatever the machine's load, and then goes on into the
 * phase with the stop already signalled: the phase's own loops must notice it
 * (test/cli/signal-phases.test.ts). Unset, nothing waits.
 */
import type { CliIo } from './io.ts';

export const PHASES = ['loading', 'validating', 'simulating', 'writing reports', 'shrinking', 'merging', 'rendering'] as const;
export type Phase = (typeof PHASES)[number];

let current: Phase | undefined;

export function currentPhase(): Phase | undefined {
  return current;
}

/** Note the phase a command is in, where it cannot wait (a progress callback). */
export function notePhase(phase: Phase): void {
  current = phase;
}

/** Note that the command entered `phase` (and, in the tests of stopping, wait there for the stop). */
export async function enterPhase(io: CliIo, phase: Phase): Promise<void> {
  current = phase;
  const signal = io.signal;
  if (signal !== undefined && io.env.STATUSCHAOS_TEST_PAUSE_AT === phase && !signal.aborted) {
    io.stderr.write(`statuschaos: paused at ${phase} (STATUSCHAOS_TEST_PAUSE_AT) until stopped\n`);
    const keepAlive = setInterval(() => {}, 60_000); // signal handlers alone do not keep Node running
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    clearInterval(keepAlive);
  }
}
