/**
 * Scenario time on a live backend: real timers, scaled. With the `fast` profile (scale 0.1) a
 * 10 s scenario timer fires after 1 s of wall time, and `now()` reads scenario milliseconds, so
 * models, timelines and records look the same as on the simulation.
 */
import type { TimerLateness } from '../../record/run-record.ts';
import type { RunClock } from '../backend.ts';

export class ScaledClock implements RunClock {
  readonly scale: number;
  private origin = performance.now();
  private readonly timers = new Set<NodeJS.Timeout>();
  private late: TimerLateness = { maxMs: 0, worstAtMs: 0, fired: 0 };

  constructor(scale: number) {
    if (!(scale > 0)) throw new Error(`time scale must be positive, got ${scale}`);
    this.scale = scale;
  }

  /** Scenario time 0 is now (called when the setup is done and the run begins). */
  resetOrigin(): void {
    this.origin = performance.now();
    this.late = { maxMs: 0, worstAtMs: 0, fired: 0 }; // the setup's timers are not the scenario's
  }

  now(): number {
    return (performance.now() - this.origin) / this.scale;
  }

  /** Wall milliseconds for a scenario duration. */
  toWall(scenarioMs: number): number {
    return scenarioMs * this.scale;
  }

  setTimeout(fn: (...args: unknown[]) => void, ms: number): NodeJS.Timeout {
    const wallMs = Math.max(0, ms * this.scale);
    const dueWall = performance.now() + wallMs;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.noteFired(dueWall);
      fn();
    }, wallMs);
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(id: unknown): void {
    clearTimeout(id as NodeJS.Timeout);
    this.timers.delete(id as NodeJS.Timeout);
  }

  /** Wait until scenario time `t`; rejects with the signal's reason when aborted. */
  async runUntil(t: number, signal?: AbortSignal): Promise<void> {
    const wait = Math.max(0, (t - this.now()) * this.scale);
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * A timer fired `now − due` late: a busy or stalled machine (another process on the cores, a
   * garbage collection). At the fast profile a 100 ms stall moves a poll by a second of scenario
   * time, which can decide a verdict (check/lateness.ts).
   */
  private noteFired(dueWall: number): void {
    const lateMs = Math.max(0, performance.now() - dueWall) / this.scale;
    this.late.fired += 1;
    if (lateMs > this.late.maxMs) this.late = { ...this.late, maxMs: lateMs, worstAtMs: (dueWall - this.origin) / this.scale };
  }

  lateness(): TimerLateness {
    return { maxMs: Math.round(this.late.maxMs), worstAtMs: Math.round(this.late.worstAtMs), fired: this.late.fired };
  }

  /** Cancel every timer still pending (trackers stopped, run over). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
