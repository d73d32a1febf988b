/**
 * Virtual time for the simulation: xstate's SimulatedClock, plus the two things a
 * discrete-event loop needs from it — when the next timer is due, and a way to advance to it
 * and let every promise that settled there run before time moves again.
 */
import { SimulatedClock } from 'xstate';

interface PendingTimeout {
  start: number;
  timeout: number;
}

/** Yield to the event loop once, so every microtask queued so far (promise callbacks) runs. */
export function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class VirtualClock extends SimulatedClock {
  /** The earliest time a pending timer fires, or undefined when none is pending. */
  nextDueAt(): number | undefined {
    // SimulatedClock keeps its timers in a private map; reading it is the only way to step.
    const timeouts = (this as unknown as { timeouts: Map<number, PendingTimeout> }).timeouts;
    let next: number | undefined;
    for (const { start, timeout } of timeouts.values()) {
      const due = start + timeout;
      if (next === undefined || due < next) next = due;
    }
    return next;
  }

  /**
   * Run every timer due up to `until`, in time order, letting promise callbacks settle after
   * each step, then leave the clock at `until`.
   */
  async runUntil(until: number, afterStep?: () => void): Promise<void> {
    await drainMicrotasks();
    for (;;) {
      const due = this.nextDueAt();
      if (due === undefined || due > until) break;
      this.set(Math.max(due, this.now()));
      await drainMicrotasks();
      afterStep?.();
    }
    if (until > this.now()) this.set(until);
    await drainMicrotasks();
  }
}
