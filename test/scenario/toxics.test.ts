// The toxic registry: time scaling by unit, the checks made before Toxiproxy is called, and what
// each toxic does to the data of a simulated connection.
import { describe, expect, test } from 'vitest';
import { toxicRequest, validateFault } from '../../src/backends/shared/toxiproxy/toxic-request.ts';
import { scaleAttributes, toxic, TOXIC_TYPES, TOXICS, type FaultSpec, type ToxicEffect, type ToxicRandom, type ToxicType } from '../../src/scenario/toxics.ts';

const fault = (toxic: ToxicType, attributes: Record<string, number>, extra: Partial<FaultSpec> = {}): FaultSpec => ({ target: 'apiserver', toxic, stream: 'downstream', toxicity: 1, attributes, ...extra });

describe('scaleAttributes', () => {
  test.for<{ toxic: ToxicType; attributes: Record<string, number>; timeScale: number; expected: Record<string, number>; proves: string }>([
    { toxic: 'latency', attributes: { latency: 300, jitter: 50 }, timeScale: 0.5, expected: { latency: 150, jitter: 25 }, proves: 'ms durations are multiplied' },
    { toxic: 'bandwidth', attributes: { rate: 100 }, timeScale: 0.5, expected: { rate: 200 }, proves: 'rate is divided' },
    { toxic: 'slicer', attributes: { average_size: 64, size_variation: 8, delay: 1_000 }, timeScale: 0.1, expected: { average_size: 64, size_variation: 8, delay: 100 }, proves: "slicer's µs delay is scaled, sizes are not" },
    { toxic: 'limit_data', attributes: { bytes: 1_000 }, timeScale: 0.1, expected: { bytes: 1_000 }, proves: 'sizes are never scaled' },
    { toxic: 'timeout', attributes: { timeout: 1 }, timeScale: 0.01, expected: { timeout: 1 }, proves: 'a non-zero duration never rounds to 0 (timeout 0 means never)' },
    { toxic: 'timeout', attributes: { timeout: 0 }, timeScale: 10, expected: { timeout: 0 }, proves: '0 stays 0' },
    { toxic: 'reset_peer', attributes: { timeout: 333 }, timeScale: 0.5, expected: { timeout: 167 }, proves: 'results are rounded to integers' },
  ])('$proves', ({ toxic, attributes, timeScale, expected }) => {
    expect(scaleAttributes(toxic, attributes, timeScale)).toEqual(expected);
  });

  test('a non-positive timeScale is refused with the value', () => {
    expect(() => scaleAttributes('latency', { latency: 1 }, 0)).toThrow('Expected `timeScale` to be a positive finite number like 0.5, got 0 (number)');
  });
});

describe('toxic requests', () => {
  test.for([
    { spec: fault('latency', { latncy: 10 }), message: /unknown attribute `latncy` for toxic latency \(allowed: latency, jitter\)/ },
    { spec: fault('down', {}, { toxicity: 0.5 }), message: /`down` disables the whole proxy and has no toxicity/ },
    { spec: fault('latency', {}, { toxicity: 1.5 }), message: /`toxicity` to be a number in \[0, 1\], got 1\.5/ },
    { spec: fault('slicer', { average_size: 10, size_variation: 10 }), message: /size_variation` < `average_size`/ },
    { spec: fault('slicer', { size_variation: 0 }), message: /average_size` ≥ 1/ },
    { spec: fault('limit_data', { bytes: 1.5 }), message: /whole number of bytes, got 1\.5/ },
  ])('validateFault refuses $message', ({ spec, message }) => {
    expect(() => validateFault(spec)).toThrow(message);
  });

  test('every attribute is explicit in the request (missing ones 0, as Toxiproxy takes them) and time-scaled by its unit', () => {
    expect(toxicRequest(fault('latency', { latency: 3_000 }), 'slow', 0.1)).toEqual({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
    expect(toxicRequest(fault('bandwidth', { rate: 10 }), 'thin', 0.5).attributes).toEqual({ rate: 20 });
  });

  test('`down` is no toxic: it has no request', () => {
    expect(() => toxicRequest(fault('down', {}), 'x', 1)).toThrow('`down` is not a toxic');
  });

  test('every toxic has a unit for each attribute', () => {
    for (const [name, definition] of Object.entries(TOXICS)) {
      expect(Object.keys(definition.attributes).length + (name === 'down' ? 1 : 0), name).toBeGreaterThan(0);
      for (const unit of Object.values(definition.attributes)) expect(['ms', 'µs', 'KB/s', 'bytes'], name).toContain(unit);
    }
  });
});

describe('what each toxic does to the data of a simulated connection (docs/toxics.md)', () => {
  /** The seeded draw at its lowest and at its highest. */
  const lowest: ToxicRandom = { int: () => 0 };
  const highest: ToxicRandom = { int: (n) => n - 1 };
  const cases: { toxic: ToxicType; attributes: Record<string, number>; bytes: number; random?: ToxicRandom; effect: ToxicEffect; proves: string }[] = [
    { toxic: 'down', attributes: {}, bytes: 1_000, effect: { kind: 'pass' }, proves: 'down is no toxic on the data: the network refuses and closes connections as a whole' },
    { toxic: 'timeout', attributes: { timeout: 0 }, bytes: 1_000, effect: { kind: 'stall' }, proves: 'timeout 0 holds the data for as long as it is there' },
    { toxic: 'timeout', attributes: { timeout: 2_000 }, bytes: 1_000, effect: { kind: 'close', afterMs: 2_000, error: 'closed' }, proves: 'timeout T drops the data and closes T ms later' },
    { toxic: 'reset_peer', attributes: { timeout: 500 }, bytes: 1_000, effect: { kind: 'close', afterMs: 500, error: 'reset' }, proves: 'reset_peer resets `timeout` ms after the data' },
    { toxic: 'latency', attributes: { latency: 1_000, jitter: 0 }, bytes: 1_000, effect: { kind: 'delay', ms: 1_000 }, proves: 'latency delays the data by `latency`' },
    { toxic: 'latency', attributes: { latency: 1_000, jitter: 200 }, bytes: 1_000, random: lowest, effect: { kind: 'delay', ms: 800 }, proves: 'jitter takes up to `jitter` off' },
    { toxic: 'latency', attributes: { latency: 1_000, jitter: 200 }, bytes: 1_000, random: highest, effect: { kind: 'delay', ms: 1_199 }, proves: 'jitter adds less than `jitter`' },
    { toxic: 'latency', attributes: { latency: 100, jitter: 500 }, bytes: 1_000, random: lowest, effect: { kind: 'delay', ms: 0 }, proves: 'jitter beyond the latency never makes a negative delay' },
    { toxic: 'limit_data', attributes: { bytes: 1_000 }, bytes: 1_000, effect: { kind: 'pass' }, proves: 'limit_data lets up to `bytes` through' },
    { toxic: 'limit_data', attributes: { bytes: 1_000 }, bytes: 1_001, effect: { kind: 'close', afterMs: 0, error: 'closed' }, proves: 'limit_data closes once more than `bytes` passed' },
    { toxic: 'bandwidth', attributes: { rate: 0 }, bytes: 1_000, effect: { kind: 'stall' }, proves: 'bandwidth 0 stalls the stream' },
    { toxic: 'bandwidth', attributes: { rate: 10 }, bytes: 5_000, effect: { kind: 'delay', ms: 500 }, proves: 'bandwidth `rate` KB/s: 5 000 bytes at 10 KB/s take 500 ms' },
    { toxic: 'slicer', attributes: { average_size: 100, size_variation: 0, delay: 2_000 }, bytes: 1_000, effect: { kind: 'delay', ms: 20, firstMs: 2 }, proves: 'slicer: 10 pieces of 100 bytes, 2 000 µs apart, the first after one delay' },
    { toxic: 'slicer', attributes: { average_size: 100, size_variation: 0, delay: 2_000 }, bytes: 1_001, effect: { kind: 'delay', ms: 22, firstMs: 2 }, proves: 'slicer: a partial piece is a piece' },
    { toxic: 'slow_close', attributes: { delay: 5_000 }, bytes: 1_000, effect: { kind: 'pass' }, proves: 'slow_close does not hold a response that carries its length' },
  ];

  test.for(cases)('$toxic: $proves', ({ toxic: type, attributes, bytes, random, effect }) => {
    expect(toxic(type).simulate(attributes, bytes, random ?? lowest)).toEqual(effect);
  });

  test('every toxic is among the cases above', () => {
    expect(new Set(cases.map((entry) => entry.toxic))).toEqual(new Set(TOXIC_TYPES));
  });
});
