// When no tracker can see a stop: Flink's REST API tells while it serves and is not faulted; the
// Kubernetes API tells while it is not faulted and has something to show (the deployment gone, the
// JobManager not serving). The detects oracle adds that time to its bound.
import { describe, expect, test } from 'vitest';
import { blindSpans, deadlineAfter, deafSpans, flinkAnswers } from '../../src/check/blindness.ts';
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

describe('blindness from evidence: the probes of a faulted path with the design\'s own timeouts', () => {
  const latency = (jitter = 0): ScheduledFault => ({ id: 'slow', atMs: 20_000, untilMs: 200_000, spec: { target: 'flink-rest', toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 6_000, jitter } }, name: 'slow', line: 1 });
  const probes = (key: string, ok: boolean, ms: number) => Array.from({ length: 36 }, (_, index) => ({ t: 20_000 + index * 5_000, path: 'flink-rest' as const, timeouts: key, ok, ms }));
  const probed = (fault: ScheduledFault, entries: ReturnType<typeof probes>) => {
    const base = run([truth(0, 'RUNNING'), { ...truth(30_000, 'RUNNING'), jobs: {} }], [fault]);
    return { ...base, lanes: { ...base.lanes, probes: entries } };
  };
  // StreamPark's REST timeouts (30 s / 60 s), the hand run's default contract
  const streamPark = '30000/60000';

  test('a path whose calls got answers is not blind, however late they came; one whose calls failed is', () => {
    expect(blindSpans(probed(latency(), probes(streamPark, true, 6_000)), 'v')).toEqual([]);
    expect(blindSpans(probed(latency(), probes(streamPark, false, 60_000)), 'v')).toEqual([{ from: 20_000, to: 200_000 }]);
  });

  test('a fault that draws per call (jitter, toxicity below 1) proves nothing either way: blind for the deadline', () => {
    expect(blindSpans(probed(latency(500), probes(streamPark, true, 6_000)), 'v')).toEqual([{ from: 20_000, to: 200_000 }]);
  });

  test('probes with other timeouts than the design\'s say nothing of it: blind for the deadline', () => {
    expect(blindSpans(probed(latency(), probes('1500/5000', true, 4_000)), 'v')).toEqual([{ from: 20_000, to: 200_000 }]);
  });

  test('Flink answers promptly when its answers take at most a poll: 5 s is prompt, 5.001 s is not', () => {
    expect(flinkAnswers(probed(latency(), probes(streamPark, true, 5_000)), 'v')).toEqual([{ from: 0, to: 300_000 }]);
    expect(flinkAnswers(probed(latency(), probes(streamPark, true, 5_001)), 'v')).toEqual([{ from: 0, to: 20_000 }, { from: 200_000, to: 300_000 }]);
  });

  test('an answer counts only in time for the design: ours uses what comes within an observation\'s two polls (10 s), not 10.001 s', () => {
    const ours = { rest: { connectTimeoutMs: 1_500, responseTimeoutMs: 5_000 }, api: { connectTimeoutMs: 1_500, responseTimeoutMs: 2_000 }, usefulWithinMs: 10_000 };
    const withOurs = (ms: number) => {
      const base = probed(latency(), probes('1500/5000', true, ms));
      return { ...base, lanes: { ...base.lanes, variants: { v: { writes: [], alerts: [], polls: [], events: [], timeouts: ours } } } };
    };
    expect(blindSpans(withOurs(10_000), 'v')).toEqual([]);
    expect(blindSpans(withOurs(10_001), 'v')).toEqual([{ from: 20_000, to: 200_000 }]);
  });

  test('deaf only while no source answers: the Kubernetes API answering ends it', () => {
    const slowRest = probed(latency(), probes(streamPark, false, 60_000));
    expect(deafSpans(slowRest, 'v')).toEqual([]); // the API answers throughout
    const both = { ...slowRest, faults: [...slowRest.faults, fault('apiserver', 50_000, 100_000)] };
    expect(deafSpans(both, 'v')).toEqual([{ from: 50_000, to: 100_000 }]); // no probe of the API: not known to answer
  });
});
