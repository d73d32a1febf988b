// Round 3 of the oracles' mutation score: the cancel's fence and the newest-first rule of our
// tracker matter only when observations overlap and answer out of order — a cancel while Flink
// answers late and unevenly. The slow-cancel story generates that; these schedules show what the
// two rules prevent (a late RUNNING clears the accepted cancel: LOST alerted for the user's own
// cancel), and the one-alert-per-end rule the same stories exposed in the design.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ALL_ORACLES } from '../../src/check/oracles.ts';
import { evaluate } from '../../src/explore/evaluate.ts';
import { healPhase, type Schedule } from '../../src/explore/schedule.ts';
import { storyArbitraries } from '../../src/explore/stories.ts';

const heal = healPhase();
const s = (seconds: number) => seconds * 1_000;
const slowRest = (atS: number, forS: number, latencyS: number, jitterS: number) =>
  ({ kind: 'fault', atMs: s(atS), forMs: s(forS), target: 'flink-rest', toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: s(latencyS), jitter: s(jitterS) } }) as const;

describe('a cancel while Flink answers late and unevenly', () => {
  // REST answers 1–5 s late from 20 s to 30 s (a poll is 5 s): the cancel at 26 s is accepted, the
  // job cancelled, the deployment removed; observations that read Flink before the cancel answer after it
  const schedule: Schedule = { mode: 'application', events: [slowRest(20, 10, 3, 2), { kind: 'action', action: 'cancel-from-console', atMs: s(26) }] };

  test.for(['proposed~no-cancel-fence', 'proposed~late-results-applied'])('%s writes the old RUNNING back and ends LOST, alerted for the user\'s cancel; the design does not', { timeout: 60_000 }, async (mutant) => {
    const { run, violations } = await evaluate(schedule, { variants: ['proposed', mutant], oracles: ALL_ORACLES, heal });
    expect(violations.filter((violation) => violation.variant === 'proposed')).toEqual([]);
    const states = run.lanes.variants[mutant]!.writes.map((write) => write.state);
    expect(states.slice(states.indexOf('CANCELLING'))).toEqual(['CANCELLING', 'RUNNING', 'LOST']);
    expect(violations.filter((violation) => violation.variant === mutant)).toContainEqual(expect.objectContaining({ oracle: 'alerts', signature: "alert LOST for the user's cancel" }));
  });

  test('the slow-cancel story draws exactly that shape: Flink late with jitter, a cancel inside the window', () => {
    const story = storyArbitraries('application').at(-2)!.arbitrary; // the stories' order: …, cancel-race, slow-cancel, long-absence
    for (const events of fc.sample(story, { numRuns: 200, seed: 7 })) {
      const [fault, cancel] = events as [Extract<Schedule['events'][number], { kind: 'fault' }>, Extract<Schedule['events'][number], { kind: 'action' }>];
      expect(fault).toMatchObject({ target: 'flink-rest', toxic: 'latency' });
      expect(fault.attributes.jitter).toBeGreaterThan(0);
      expect(fault.attributes.jitter).toBeLessThan(fault.attributes.latency!);
      expect(cancel.action).toBe('cancel-from-console');
      expect(cancel.atMs).toBeGreaterThanOrEqual(fault.atMs);
      expect(cancel.atMs).toBeLessThanOrEqual(fault.atMs + fault.forMs);
    }
  });
});

describe('one alert per end', () => {
  // REST answers 6 s late (past our 5 s timeout) from 20 s; the job fails at 24 s and its cluster goes:
  // the observation of 20 s times out and finds the deployment gone (LOST, alerted), the one of 25 s
  // answers FAILED later — the end corrected, not alerted again
  test.for(['fail-job', 'finish-job'] as const)('%s during late REST answers: LOST, then Flink\'s end, one alert', { timeout: 60_000 }, async (stop) => {
    const schedule: Schedule = { mode: 'application', events: [slowRest(20, 7, 6, 0), { kind: 'action', action: stop, atMs: s(24) }] };
    const { run, violations } = await evaluate(schedule, { variants: ['proposed'], oracles: ALL_ORACLES, heal });
    const lane = run.lanes.variants.proposed!;
    expect(lane.writes.map((write) => write.state)).toEqual(['RUNNING', 'LOST', stop === 'fail-job' ? 'FAILED' : 'FINISHED', stop === 'fail-job' ? 'FAILED' : 'FINISHED']);
    expect(lane.alerts.map((alert) => alert.state)).toEqual(['LOST']);
    expect(violations).toEqual([]);
  });
});

describe('a cancel whose answer drips in', () => {
  // the cancel goes through the cluster client, whose API call drips one slice at a time from 57 s to 76 s:
  // each read within its timeout, the whole answer 19 s late
  const schedule: Schedule = {
    mode: 'application',
    events: [
      { kind: 'action', action: 'cancel-from-console', atMs: s(57) },
      { kind: 'fault', atMs: s(57), forMs: s(19), target: 'apiserver', toxic: 'slicer', stream: 'downstream', toxicity: 0.5, attributes: { average_size: 1, size_variation: 0, delay: 10_000 } },
    ],
  };

  test('CANCELLING lasts the call\'s deadline (2 polls), not the drip; the late yes still counts: CANCELED, no alert', { timeout: 60_000 }, async () => {
    const { run, violations } = await evaluate(schedule, { variants: ['proposed'], oracles: ALL_ORACLES, heal });
    const writes = run.lanes.variants.proposed!.writes;
    const cancelling = writes.find((write) => write.state === 'CANCELLING')!;
    const next = writes[writes.indexOf(cancelling) + 1]!;
    expect(next.t - cancelling.t).toBeLessThanOrEqual(3 * run.timing.pollIntervalMs);
    expect(writes.at(-1)?.state).toBe('CANCELED');
    expect(run.lanes.variants.proposed!.alerts).toEqual([]);
    expect(violations).toEqual([]);
  });
});

describe('a cancel answered late, Flink seen CANCELED meanwhile', () => {
  // half the REST connections answer 11 s late from 81 s: the cancel at 134 s reaches Flink but its answer
  // times out; the observation of 135 s reads CANCELED inside the cancel's fence, and the cluster is gone a
  // second later — the fence keeps the read off the console, not the fact that Flink reported the end
  const schedule: Schedule = {
    mode: 'application',
    events: [
      { kind: 'fault', atMs: s(81), forMs: s(59), target: 'flink-rest', toxic: 'latency', stream: 'downstream', toxicity: 0.5, attributes: { latency: 11_000, jitter: 0 } },
      { kind: 'action', action: 'cancel-from-console', atMs: s(134) },
    ],
  };

  test('the deployment gone: CANCELED (the end Flink reported), not LOST, no alert', { timeout: 60_000 }, async () => {
    const { run, violations } = await evaluate(schedule, { variants: ['proposed'], oracles: ALL_ORACLES, heal });
    expect(run.lanes.variants.proposed!.writes.map((write) => write.state)).toEqual(['RUNNING', 'CANCELLING', 'CANCELED']);
    expect(run.lanes.variants.proposed!.alerts).toEqual([]);
    expect(violations).toEqual([]);
  });
});
