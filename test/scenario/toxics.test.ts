// The toxic registry: time scaling by unit, and the checks made before Toxiproxy is called.
import { describe, expect, test } from 'vitest';
import { toxicRequest, validateFault } from '../../src/backends/shared/toxiproxy/toxic-request.ts';
import { scaleAttributes, TOXICS, type FaultSpec, type ToxicType } from '../../src/scenario/toxics.ts';

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

  test('every toxic has a unit for each attribute and a simulation of its effect', () => {
    for (const [name, definition] of Object.entries(TOXICS)) {
      for (const unit of Object.values(definition.attributes)) expect(['ms', 'µs', 'KB/s', 'bytes'], name).toContain(unit);
      expect(typeof definition.simulate, name).toBe('function');
    }
  });
});
