// The simulated API server's path to etcd against what the real one did under each etcd fault
// (test/fixtures/etcd-faults/measured.json, written by scripts/measure-etcd-faults.mjs on the
// local backend): which calls fail, how, and after how long; how slow the slow ones are; how
// long after the heal it answers again.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PortError } from '../../../src/models/ports.ts';
import { API_SERVER_TIMEOUT, etcdImpact, MEASURED_ETCD_FAULTS, recoveryAfter } from '../../../src/backends/sim/etcd.ts';
import { longestEtcdReconnectWallMs, RECONNECT_BACKOFF } from '../../../src/scenario/etcd-reconnect.ts';
import { SimNetwork } from '../../../src/backends/sim/network.ts';
import { createRandom } from '../../../src/backends/sim/random.ts';
import { VirtualClock } from '../../../src/backends/sim/virtual-clock.ts';
import type { FaultSpec } from '../../../src/scenario/toxics.ts';

interface MeasuredCall {
  status: number | null;
  ms: number | null;
  message: string | null;
  error?: string;
}
interface Measured {
  versions: Record<string, string>;
  results: { id: string; fault: FaultSpec; rounds: { at: number; calls: Record<string, MeasuredCall> }[]; recoveredAfterMs: number | null }[];
  recoveries: { id: string; outageMs: number; recoveredAfterMs: number }[];
}

const measured = JSON.parse(readFileSync(new URL('../../fixtures/etcd-faults/measured.json', import.meta.url), 'utf8')) as Measured;
/** the trackers' reads: GETs of an object or a missing one, LISTs with a selector */
const READS = { getDeployment: 1, getService: 1, getMissing: 1, listDeployments: 1, listPods: 2 } as const;
const random = createRandom(1);

/** One read through the simulated API server with a client that waits 75 s, as the measurement did; the fault applied `atMs` before. */
async function simulatedRead(spec: FaultSpec, roundTrips: number, options: { atMs?: number; timeScale?: number; removeAtMs?: number } = {}) {
  const clock = new VirtualClock();
  const network = new SimNetwork(clock, createRandom(7), options.timeScale ?? 1);
  network.applyFault('f', spec);
  if (options.removeAtMs !== undefined) clock.setTimeout(() => network.removeFault('f'), options.removeAtMs);
  let outcome: { status: number | 'ok' | string; at: number } | undefined;
  clock.setTimeout(() => {
    const started = clock.now();
    network
      .request({ call: 'read', target: 'apiserver', requestBytes: 350, responseBytes: 2_000, serverMs: 2, responseTimeoutMs: 10_000_000, upstreamReachable: () => true, serve: () => ({ ok: 'answer' }), etcdRoundTrips: roundTrips, random: createRandom(3) })
      .then(
        () => (outcome = { status: 'ok', at: clock.now() - started }),
        (error: PortError) => (outcome = { status: /HTTP (\d+)/.exec(error.message)?.[1] ? Number(/HTTP (\d+)/.exec(error.message)![1]) : error.kind, at: clock.now() - started }),
      );
  }, options.atMs ?? 500);
  await clock.runUntil(20_000_000);
  return outcome!;
}

describe('measured on the real API server', () => {
  test('the fixture comes from the tool versions the local backend runs', () => {
    expect(measured.versions).toMatchObject({ 'kube-apiserver': 'v1.37.2', etcd: 'v3.7.0', 'toxiproxy-server': 'v2.12.0' });
    expect(measured.results.map((result) => result.id)).toEqual(MEASURED_ETCD_FAULTS.map((fault) => fault.id));
  });

  test('/version never needs etcd: answered at once under every fault', () => {
    for (const result of measured.results) for (const round of result.rounds) expect(round.calls.version).toMatchObject({ status: 200 }), expect(round.calls.version!.ms).toBeLessThan(1_000);
  });
});

describe('the simulated API server answers as the real one did', () => {
  const unreachable = measured.results.filter((result) => etcdImpact(result.fault, random).kind === 'unreachable');
  const slow = measured.results.filter((result) => etcdImpact(result.fault, random).kind === 'slow');
  const unharmed = measured.results.filter((result) => etcdImpact(result.fault, random).kind === 'none');

  test('every measured fault is classified: unreachable, slow or unharmed', () => {
    expect(unreachable.map((result) => result.id)).toEqual(['down', 'timeout-0', 'timeout-2s', 'reset_peer', 'bandwidth-0', 'limit_data-0']);
    expect(slow.map((result) => result.id)).toEqual(['latency-2s', 'latency-2s-upstream', 'slicer']);
    expect(unharmed.map((result) => result.id)).toEqual(['slow_close']);
  });

  test.for(unreachable.map((result) => [result.id, result] as const))('%s: every read held 60 s, then 504 (or the connection closed): the sim answers 504 at 60 s', async ([, result]) => {
    for (const round of result.rounds) {
      for (const name of Object.keys(READS) as (keyof typeof READS)[]) {
        const call = round.calls[name]!;
        expect(call.status === 504 || /socket hang up/.test(call.error ?? ''), `${result.id} ${name} at +${round.at}`).toBe(true);
        expect(call.ms!).toBeGreaterThanOrEqual(API_SERVER_TIMEOUT.wallMs - 500);
        expect(call.ms!).toBeLessThanOrEqual(API_SERVER_TIMEOUT.wallMs + 1_000);
        if (call.status === 504) expect(call.message).toBe(API_SERVER_TIMEOUT.message);
      }
    }
    const simulated = await simulatedRead(result.fault, 1);
    expect(simulated.status).toBe(504);
    expect(simulated.at).toBeGreaterThanOrEqual(API_SERVER_TIMEOUT.wallMs);
    expect(simulated.at).toBeLessThan(API_SERVER_TIMEOUT.wallMs + 10);
  });

  test('the API server timeout is wall time: on a clock scaled 10× (fast profile) it is 600 s of scenario time', async () => {
    const simulated = await simulatedRead(MEASURED_ETCD_FAULTS[0]!.spec, 1, { timeScale: 0.1 });
    expect(simulated).toMatchObject({ status: 504 });
    expect(Math.round(simulated.at / 1_000)).toBe(600);
  });

  test.for(slow.filter((result) => result.id.startsWith('latency')).map((result) => [result.id, result] as const))('%s: once settled (the last round), each read took its etcd round trips × 2 s, as the sim', async ([id, result]) => {
    const last = result.rounds.at(-1)!;
    for (const [name, roundTrips] of Object.entries(READS)) {
      const simulated = await simulatedRead(result.fault, roundTrips);
      expect(simulated.status).toBe('ok');
      const real = last.calls[name]!.ms!;
      // Late answers from etcd also hold back the pods' watch cache, which a LIST waits for:
      // 50 s, then 30 s, then 7 s in the three rounds. The sim models the settled state only.
      if (id === 'latency-2s' && name === 'listPods') expect(real, 'the pods watch cache still catching up').toBeGreaterThanOrEqual(simulated.at);
      else expect(Math.abs(real - simulated.at), `${name}: measured ${real} ms, simulated ${simulated.at} ms`).toBeLessThanOrEqual(200);
    }
  });

  test.for([...unharmed, ...slow.filter((result) => result.id === 'slicer')].map((result) => [result.id, result] as const))('%s: reads answered in well under a second once settled, as in the sim', async ([, result]) => {
    for (const name of Object.keys(READS)) expect(result.rounds.at(-1)!.calls[name]!.ms!).toBeLessThan(1_000);
    expect((await simulatedRead(result.fault, 2)).at).toBeLessThan(100);
  });

  test('a read waiting for etcd is answered when etcd is back, not at the 504', async () => {
    const simulated = await simulatedRead(MEASURED_ETCD_FAULTS.find((fault) => fault.id === 'timeout-0')!.spec, 1, { atMs: 1_000, removeAtMs: 10_000 });
    expect(simulated.status).toBe('ok');
    expect(simulated.at).toBeLessThan(10_000);
  });
});

describe('recovery after the heal', () => {
  const spread = (outageMs: number) => {
    const samples = Array.from({ length: 400 }, (_, seed) => recoveryAfter('backoff', outageMs, createRandom(seed)));
    return { min: Math.min(...samples), max: Math.max(...samples) };
  };

  test('the fixture measured the recovery of down, timeout-0 and reset_peer after 1.5, 5 and 15 s outages (the tests below read them)', () => {
    expect(measured.recoveries.map((sample) => `${sample.id} ${sample.outageMs}`).sort()).toEqual(['down', 'timeout-0', 'reset_peer'].flatMap((id) => [1_500, 5_000, 15_000].map((ms) => `${id} ${ms}`)).sort());
  });

  test.for(measured.recoveries.filter((sample) => sample.id === 'down').map((sample) => [sample.outageMs, sample.recoveredAfterMs] as const))('down for %i ms: recovered %i ms after the heal, within the sim’s back-off spread', ([outageMs, recovered]) => {
    const { min, max } = spread(outageMs);
    expect(recovered).toBeGreaterThanOrEqual(min - 300);
    expect(recovered).toBeLessThanOrEqual(max + 300);
  });

  test('down, reset and limit_data for two minutes with reads going on: back-off, tens of seconds', () => {
    const long = measured.results.filter((result) => ['down', 'reset_peer', 'limit_data-0'].includes(result.id));
    expect(long).toHaveLength(3);
    const outage = 2 * 60_000; // three rounds of 60 s reads: the heal came 2 minutes after the fault
    const { min, max } = spread(outage);
    for (const result of long) {
      expect(result.recoveredAfterMs!, result.id).toBeGreaterThanOrEqual(min - 2_000);
      expect(result.recoveredAfterMs!, result.id).toBeLessThanOrEqual(max + 10_000);
    }
    expect(RECONNECT_BACKOFF).toMatchObject({ firstMs: 1_000, multiplier: 1.6, maxMs: 120_000 });
  });

  test('what "settled" waits for after an etcd fault bounds every reconnect the simulation draws, and every one measured', () => {
    const draws = createRandom(11);
    for (const outageMs of [500, 2_000, 9_000, 30_000, 61_000, 121_000, 181_000, 600_000]) {
      const bound = longestEtcdReconnectWallMs(outageMs);
      for (const reconnect of ['at-once', 'after-close', 'backoff'] as const) {
        for (let draw = 0; draw < 200; draw++) expect(recoveryAfter(reconnect, outageMs, draws), `${reconnect} after ${outageMs} ms`).toBeLessThanOrEqual(bound);
      }
    }
    for (const sample of measured.recoveries) expect(sample.recoveredAfterMs, `${sample.id} after ${sample.outageMs} ms`).toBeLessThanOrEqual(longestEtcdReconnectWallMs(sample.outageMs));
    expect(longestEtcdReconnectWallMs(120_000)).toBeLessThanOrEqual(1.2 * 120_000);
  });

  test('a removed timeout toxic closes the connection it held: back within a second after short outages, 5 s after long ones', () => {
    const shortOutages = measured.recoveries.filter((candidate) => candidate.id === 'timeout-0');
    const longOutages = measured.results.filter((candidate) => candidate.id.startsWith('timeout'));
    expect([shortOutages.length, longOutages.length]).toEqual([3, 2]);
    for (const sample of shortOutages) {
      expect(sample.recoveredAfterMs).toBeLessThan(1_000);
      expect(recoveryAfter('after-close', sample.outageMs, random)).toBeLessThan(1_000);
    }
    for (const result of longOutages) {
      expect(result.recoveredAfterMs!).toBeGreaterThanOrEqual(3_000);
      expect(result.recoveredAfterMs!).toBeLessThanOrEqual(8_000);
    }
    expect(recoveryAfter('after-close', 120_000, random)).toBe(5_000);
  });

  test('stalled data let through: back at once', () => {
    expect(measured.results.find((result) => result.id === 'bandwidth-0')!.recoveredAfterMs!).toBeLessThan(500);
    expect(recoveryAfter('at-once', 120_000, random)).toBe(0);
  });
});
