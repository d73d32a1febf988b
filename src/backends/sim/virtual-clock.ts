/**
 * Virtual time for the simulation: the clock xstate's actors and the simulated world schedule
 * on, and the discrete-event loop that advances it. Timers fire in order of due time, then of
 * creation (what xstate's SimulatedClock does), but from a binary heap: each step costs
 * O(log timers) instead of sorting every pending timer, and firing is a loop rather than a
 * recursion, so thousands of timers neither slow it down nor overflow the stack.
 */

interface Timer {
  due: number;
  id: number;
  fn: () => void;
  cancelled: boolean;
}

/** Yield to the event loop once, so every microtask queued so far (promise callbacks) runs. */
export function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class VirtualClock {
  private current = 0;
  private nextId = 0;
  private readonly heap: Timer[] = [];
  private readonly pending = new Map<number, Timer>();

  now(): number {
    return this.current;
  }

  setTimeout(fn: (...args: unknown[]) => void, ms: number): number {
    const timer: Timer = { due: this.current + ms, id: this.nextId++, fn: () => fn(), cancelled: false };
    this.pending.set(timer.id, timer);
    this.push(timer);
    return timer.id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id !== 'number') return;
    const timer = this.pending.get(id);
    if (timer === undefined) return;
    timer.cancelled = true;
    this.pending.delete(id);
  }

  /** How many timers are pending. */
  get size(): number {
    return this.pending.size;
  }

  /** The earliest time a pending timer fires, or undefined when none is pending. */
  nextDueAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.due;
  }

  /** Move to `time` (never back) and fire every timer due by then, in order; timers they set for now fire too. */
  set(time: number): void {
    if (time < this.current) throw new Error(`the virtual clock cannot go back from ${this.current} to ${time}`);
    this.current = time;
    for (;;) {
      this.dropCancelled();
      const first = this.heap[0];
      if (first === undefined || first.due > time) return;
      this.pop();
      this.pending.delete(first.id);
      first.fn();
    }
  }

  /**
   * Run every timer due up to `until`, in time order, letting promise callbacks settle after
   * each step, then leave the clock at `until`. `shouldStop` is asked after each step (a
   * cancelled run stops there).
   */
  async runUntil(until: number, shouldStop: () => boolean = () => false): Promise<void> {
    await drainMicrotasks();
    for (;;) {
      const due = this.nextDueAt();
      if (due === undefined || due > until || shouldStop()) break;
      this.set(Math.max(due, this.current));
      await drainMicrotasks();
    }
    if (until > this.current && !shouldStop()) this.set(until);
    await drainMicrotasks();
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private before(a: Timer, b: Timer): boolean {
    return a.due < b.due || (a.due === b.due && a.id < b.id);
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}
