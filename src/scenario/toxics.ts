/**
 * The fault vocabulary: where a fault applies, and every toxic with all that the harness knows
 * of it in one entry — its attributes with Toxiproxy's names and units (which say how each is
 * time-scaled and validated), the rules Toxiproxy enforces or crashes on, how slow a call must
 * be to count as evidence of it, and what it does to the bytes of a simulated connection
 * (docs/toxics.md). The scenario schema, the simulation and the Toxiproxy backends all read it,
 * so a new toxic is one entry here.
 */

/**
 * Where a fault applies: the path from the trackers to the Kubernetes API server, to the Flink
 * REST endpoint, or from the API server to etcd (the API server's own port stays healthy and
 * answers with errors: docs/toxics.md, "The etcd target").
 */
export const TARGETS = ['apiserver', 'flink-rest', 'etcd'] as const;
export type Target = (typeof TARGETS)[number];

/** The path a tracker's calls take that a fault on `target` shows on: a faulted etcd shows on the API server's answers. */
export function callPath(target: Target): 'apiserver' | 'flink-rest' {
  return target === 'etcd' ? 'apiserver' : target;
}

export type Stream = 'upstream' | 'downstream';

/**
 * Units as Toxiproxy takes them. `ms` and `µs` are durations (multiplied by a run's time scale,
 * and `ms` ones may be written as durations like `3s`); `KB/s` is a rate (divided by it); `bytes`
 * are kept. Every attribute is a non-negative integer for Toxiproxy; 0 is the default.
 */
export type AttributeUnit = 'ms' | 'µs' | 'KB/s' | 'bytes';

/** What a toxic does to the bytes one direction of a simulated connection carries. */
export type ToxicEffect =
  /** the data passes, the last of it `ms` later, the first of it `firstMs` later (a slicer's pieces; default: all at once) */
  | { kind: 'delay'; ms: number; firstMs?: number }
  /** the data is held until the toxic is removed */
  | { kind: 'stall' }
  /** the connection is closed (or reset) `afterMs` after the data reached the toxic */
  | { kind: 'close'; afterMs: number; error: 'closed' | 'reset' }
  /** no effect on this data */
  | { kind: 'pass' };

/** The seeded randomness a toxic may draw from (the simulation's, one per run). */
export interface ToxicRandom {
  /** an integer in [0, n) */
  int(n: number): number;
}

export interface ToxicDefinition {
  /** one line for docs and the JSON Schema */
  summary: string;
  attributes: Readonly<Record<string, AttributeUnit>>;
  /** `down` is no toxic: it disables the whole proxy (connections refused, open ones closed) */
  disablesProxy?: true;
  /** a rule on the attributes together that Toxiproxy enforces or crashes on: the problem, or undefined */
  invalid?(attributes: Readonly<Record<string, number>>): string | undefined;
  /** how much slower than usual a call through it must be to count as evidence (Infinity: only failures count) */
  evidenceThresholdMs(attributes: Readonly<Record<string, number>>): number;
  /** in the simulation: what it does to `bytes` sent through it in its stream */
  simulate(attributes: Readonly<Record<string, number>>, bytes: number, random: ToxicRandom): ToxicEffect;
  /** on removal the connections it holds are closed (timeout) rather than let through */
  closesHeldOnRemoval?: true;
  /** its effect is drawn anew for each call (latency's jitter): one call's fate says little of the next one's */
  drawsPerCall?(attributes: Readonly<Record<string, number>>): boolean;
  /**
   * Values the explorer tries for each attribute, the simplest first (it shrinks toward them);
   * an attribute left out is tried at the boundaries of its unit (UNIT_BOUNDARIES).
   */
  boundaries?: Readonly<Record<string, readonly number[]>>;
}

/** Values worth trying per unit, when a toxic names none (around the trackers' timeouts for durations). */
export const UNIT_BOUNDARIES: Readonly<Record<AttributeUnit, readonly number[]>> = {
  ms: [1_000, 9_000, 11_000, 29_000, 31_000],
  'µs': [100, 10_000],
  'KB/s': [0, 1, 10],
  bytes: [0, 100, 1_000],
};

const ONLY_FAILURES = () => Number.POSITIVE_INFINITY;

/** Every toxic, the simplest first (the explorer shrinks toward the first). */
export const TOXICS = {
  down: {
    summary: 'the proxy disabled: new connections refused, open ones closed',
    attributes: {},
    disablesProxy: true,
    evidenceThresholdMs: ONLY_FAILURES,
    simulate: () => ({ kind: 'pass' }), // handled by the network as a whole
  },
  timeout: {
    summary: 'drops the data and closes the connection after `timeout` ms (0: never closes)',
    attributes: { timeout: 'ms' },
    boundaries: { timeout: [0, 1_000, 10_000, 30_000] },
    evidenceThresholdMs: ONLY_FAILURES,
    simulate: (a) => (a.timeout === 0 ? { kind: 'stall' } : { kind: 'close', afterMs: a.timeout!, error: 'closed' }),
    closesHeldOnRemoval: true,
  },
  reset_peer: {
    summary: 'resets the connection `timeout` ms after the first data',
    attributes: { timeout: 'ms' },
    boundaries: { timeout: [0, 1_000] },
    evidenceThresholdMs: ONLY_FAILURES,
    simulate: (a) => ({ kind: 'close', afterMs: a.timeout!, error: 'reset' }),
  },
  latency: {
    summary: 'adds `latency` ± `jitter` ms to the data in its stream',
    attributes: { latency: 'ms', jitter: 'ms' },
    // around the API timeout (10 s), the REST connect (30 s) and response (60 s) timeouts
    boundaries: { latency: [1_000, 3_000, 9_000, 11_000, 29_000, 31_000, 59_000, 61_000], jitter: [0, 500] },
    evidenceThresholdMs: (a) => Math.max(1, (a.latency! - a.jitter!) * 0.5),
    drawsPerCall: (a) => a.jitter! > 0,
    simulate: (a, _bytes, random) => {
      const jitter = a.jitter! > 0 ? random.int(a.jitter! * 2) - a.jitter! : 0;
      return { kind: 'delay', ms: Math.max(0, a.latency! + jitter) };
    },
  },
  limit_data: {
    summary: 'closes the connection once `bytes` bytes have passed',
    attributes: { bytes: 'bytes' },
    evidenceThresholdMs: ONLY_FAILURES,
    simulate: (a, bytes) => (bytes > a.bytes! ? { kind: 'close', afterMs: 0, error: 'closed' } : { kind: 'pass' }),
  },
  bandwidth: {
    summary: 'limits the stream to `rate` KB/s (0 stalls it)',
    attributes: { rate: 'KB/s' },
    evidenceThresholdMs: () => 1,
    // KB/s with 1 KB = 1000 B is bytes per ms
    simulate: (a, bytes) => (a.rate === 0 ? { kind: 'stall' } : { kind: 'delay', ms: bytes / a.rate! }),
  },
  slicer: {
    summary: 'slices the data into pieces of `average_size` ± `size_variation` bytes, `delay` µs apart',
    attributes: { average_size: 'bytes', size_variation: 'bytes', delay: 'µs' },
    boundaries: { average_size: [64, 1], size_variation: [0] },
    invalid: (a) => {
      const average = a.average_size ?? 0;
      const variation = a.size_variation ?? 0;
      if (average < 1) return `slicer needs \`average_size\` ≥ 1 (Toxiproxy recurses forever on 0), got ${average}`;
      if (variation >= average) return `slicer needs \`size_variation\` < \`average_size\` (Toxiproxy slices out of range otherwise), got ${variation} ≥ ${average}`;
      return undefined;
    },
    evidenceThresholdMs: () => 1,
    simulate: (a, bytes) => {
      const pieceMs = a.delay! / 1000;
      return { kind: 'delay', ms: Math.ceil(bytes / Math.max(1, a.average_size!)) * pieceMs, firstMs: pieceMs };
    },
  },
  slow_close: {
    summary: 'delays closing the connection by `delay` ms',
    attributes: { delay: 'ms' },
    boundaries: { delay: [1_000, 10_000] },
    evidenceThresholdMs: () => 1,
    simulate: () => ({ kind: 'pass' }), // responses carry a length; the delayed close does not hold them
  },
} as const satisfies Record<string, ToxicDefinition>;

export type ToxicType = keyof typeof TOXICS;
export const TOXIC_TYPES = Object.keys(TOXICS) as ToxicType[];

/** One network fault: a toxic on one target, with Toxiproxy's stream and toxicity. */
export interface FaultSpec {
  target: Target;
  toxic: ToxicType;
  /** Toxiproxy's default is downstream (server → client). */
  stream: Stream;
  /** Probability in [0, 1] that a new connection is affected; decided once per connection. */
  toxicity: number;
  attributes: Record<string, number>;
}

/** The definition of a toxic (typed for code that handles any toxic). */
export function toxic(type: ToxicType): ToxicDefinition {
  return TOXICS[type];
}

/**
 * Does a fault treat calls differently, by draws of its own? A toxicity below 1 is drawn per
 * connection, latency's jitter per call — except between the API server and etcd, which share one
 * connection drawn once per fault (backends/sim/etcd.ts). Under such a fault one call's outcome
 * does not tell another's (check/reach.ts).
 */
export function drawsPerCall(spec: FaultSpec): boolean {
  if (spec.target === 'etcd') return false;
  return spec.toxicity < 1 || toxic(spec.toxic).drawsPerCall?.(spec.attributes) === true;
}

/** Every attribute of a toxic at Toxiproxy's default, 0. */
export function defaultAttributes(type: ToxicType): Record<string, number> {
  return Object.fromEntries(Object.keys(toxic(type).attributes).map((name) => [name, 0]));
}

/** The unit of a toxic's attribute, or undefined when the toxic has no such attribute. */
export function attributeUnit(type: ToxicType, attribute: string): AttributeUnit | undefined {
  return toxic(type).attributes[attribute];
}

/** True for attributes that are durations (ms or µs): they scale with a run's clock. */
export function isDuration(type: ToxicType, attribute: string): boolean {
  const unit = attributeUnit(type, attribute);
  return unit === 'ms' || unit === 'µs';
}

/**
 * A toxic's attributes for a run whose clock runs at `timeScale` times scenario time: durations
 * are multiplied, rates divided (so a transfer takes `timeScale` times as long), sizes kept.
 * Scaled values are rounded to integers (Toxiproxy's attributes are int64) and a non-zero value
 * never rounds to 0, because 0 means something else there (timeout 0: never close; rate 0: stall).
 */
export function scaleAttributes(type: ToxicType, attributes: Readonly<Record<string, number>>, timeScale: number): Record<string, number> {
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new RangeError(`Expected \`timeScale\` to be a positive finite number like 0.5, got ${String(timeScale)} (${typeof timeScale})`);
  }
  const scaled: Record<string, number> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const unit = attributeUnit(type, name);
    if (unit === 'ms' || unit === 'µs') scaled[name] = scaleInteger(value, value * timeScale);
    else if (unit === 'KB/s') scaled[name] = scaleInteger(value, value / timeScale);
    else scaled[name] = value;
  }
  return scaled;
}

function scaleInteger(original: number, scaled: number): number {
  if (original === 0) return 0;
  return Math.max(1, Math.round(scaled));
}
