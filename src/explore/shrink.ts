/**
 * Shrinking a schedule that shows something (a violation, an incident's trace): fast-check
 * replays the batch to the schedule from (batch seed, index) and shrinks it with the arbitrary's
 * integrated shrinking — fewer events, shorter windows, earlier times, simpler toxics — as long
 * as `stillShows` holds. Runs are deterministic, so the result always shows it again.
 */
import fc from 'fast-check';

export interface Shrunk<S> {
  /** the smallest schedule found; undefined when the replayed schedule did not show it */
  schedule: S | undefined;
  numShrinks: number;
  /** the replayed schedule showed it (it always should: runs are deterministic) */
  failed: boolean;
}

export async function shrinkSchedule<S>(arbitrary: fc.Arbitrary<S>, at: { batchSeed: number; index: number }, stillShows: (schedule: S) => Promise<boolean>): Promise<Shrunk<S>> {
  const outcome = await fc.check(fc.asyncProperty(arbitrary, async (schedule) => !(await stillShows(schedule))), { seed: at.batchSeed, path: String(at.index), numRuns: 1 });
  return { schedule: outcome.counterexample?.[0], numShrinks: outcome.numShrinks, failed: outcome.failed };
}
