// When no tracker can see a stop: Flink's REST API tells while it serves and is not faulted; the
// Kubernetes API tells while it is not faulted and has something to show (the deployment gone, the
// JobManager not serving). The detects oracle adds that time to its bound.
import { describe, expect, test } from 'vitest';
import { blindSpans, deadlineAfter } from '../../src/check/blindness.ts';
import type { ScheduledFault } from '../../src/scenario/types.ts';
import { handRun, truth } from '../report/fixtures.ts';

const fault = (target: 'apiserver' | 'flink-rest' | 'etcd', from: number, to: number): ScheduledFault => ({ id: `fault-${target}-${from}`, atMs: from, untilMs: to, spec: { target, toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {} }, name: target, line: 1 });
const away = (t: number) => truth(t, 'RUNNING', { restServing: false });
const run = (lane: ReturnType<typeof truth>[], faults: ScheduledFault[]) => handRun({ truth: lane, variants: {} }, { faults, actions: [], durationMs: 300_000 });

describe('blind spans', () => {
  test('a JobManager away while the API is down: blind until the API answers', () => {
    expect(blindSpans(run([truth(0, 'RUNNING'), away(70_000)], [fault('apiserver', 60_000, 180_000)]), 'v')).toEqual([{ from: 70_000, to: 180_000 }]);
  });
  test('a JobManager away with the API healthy: never blind (the pods show it)', () => {
    expect(blindSpans(run([truth(0, 'RUNNING'), away(70_000)], []), 'v')).toEqual([]);
  });
  test('a serving session cluster behind a REST fault: blind, whatever the API does (a job that vanished shows only in Flink)', () => {
    expect(blindSpans(run([truth(0, 'RUNNING'), { ...truth(30_000, 'RUNNING'), jobs: {} }], [fault('flink-rest', 20_000, 200_000)]), 'v')).toEqual([{ from: 20_000, to: 200_000 }]);
  });
  test('an etcd fault blinds the API until etcd\'s client is back after it', () => {
    const [span] = blindSpans(run([truth(0, 'RUNNING'), away(70_000)], [fault('etcd', 60_000, 120_000)]), 'v');
    expect(span!.from).toBe(70_000);
    expect(span!.to).toBeGreaterThan(120_000);
  });
  test('the deadline grows with the blind time inside it, which grows with the deadline', () => {
    expect(deadlineAfter([], 70_000, 120_000)).toBe(190_000);
    expect(deadlineAfter([{ from: 70_000, to: 180_000 }], 70_000, 120_000)).toBe(300_000);
    expect(deadlineAfter([{ from: 100_000, to: 150_000 }, { from: 200_000, to: 220_000 }], 70_000, 120_000)).toBe(260_000);
  });
});
