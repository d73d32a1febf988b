// The simulation's clock: timers in due order, then creation order, from a heap; a loop rather
// than a recursion (2000 session jobs used to overflow xstate's SimulatedClock at 3.6 GB); and a
// run that stops at the next step when asked (Ctrl-C), not at the end of scenario time.
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../../src/backends/sim/virtual-clock.ts';

describe('VirtualClock', () => {
  test('fires by due time, then by creation; a timer set for now while firing fires in the same step', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => {
      fired.push('c@20');
      clock.setTimeout(() => fired.push('d@20 (set while firing)'), 0);
    }, 20);
    const cancelled = clock.setTimeout(() => fired.push('never'), 15);
    clock.clearTimeout(cancelled);
    clock.set(20);
    expect(fired).toEqual(['a@10', 'b@20', 'c@20', 'd@20 (set while firing)']);
    expect(clock.size).toBe(0);
  });

  test('200 000 timers due at the same instant, each setting another: no recursion, no stack overflow', () => {
    const clock = new VirtualClock();
    let count = 0;
    for (let index = 0; index < 200_000; index++) clock.setTimeout(() => clock.setTimeout(() => (count += 1), 0), 1_000);
    clock.set(1_000);
    expect(count).toBe(200_000);
  });

  test('runUntil stops at the next step when asked, long before `until`', async () => {
    const clock = new VirtualClock();
    const tick = () => clock.setTimeout(tick, 1_000);
    tick();
    let steps = 0;
    await clock.runUntil(1e12, () => ++steps > 50);
    expect(clock.now()).toBeLessThan(60_000);
  });
});
