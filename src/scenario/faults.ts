/**
 * Network faults, described exactly as Toxiproxy describes toxics, so that a scenario means the
 * same thing on the simulation and on a live backend. Times are scenario milliseconds.
 */

/** Where a fault applies: the path to the Kubernetes API server, or to the Flink REST endpoint. */
export const TARGETS = ['apiserver', 'flink-rest'] as const;
export type Target = (typeof TARGETS)[number];

/** Toxiproxy's toxic types, plus `down` (the proxy disabled: connections refused). */
export const TOXIC_TYPES = ['down', 'latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data'] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];

export type Stream = 'upstream' | 'downstream';

/**
 * Each toxic's attributes with Toxiproxy's names and units. Time-valued attributes are in ms
 * except slicer's `delay` (µs, as in Toxiproxy); `rate` is KB/s; sizes are bytes.
 */
export const TOXIC_ATTRIBUTES = {
  down: {},
  latency: { latency: 0, jitter: 0 },
  bandwidth: { rate: 0 },
  slow_close: { delay: 0 },
  timeout: { timeout: 0 },
  reset_peer: { timeout: 0 },
  slicer: { average_size: 0, size_variation: 0, delay: 0 },
  limit_data: { bytes: 0 },
} as const satisfies Record<ToxicType, Record<string, number>>;

/** Attributes that are durations in ms (scaled with the timing profile on live backends). */
export const TIME_ATTRIBUTES_MS: Readonly<Record<ToxicType, readonly string[]>> = {
  down: [],
  latency: ['latency', 'jitter'],
  bandwidth: [],
  slow_close: ['delay'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  slicer: [],
  limit_data: [],
};

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
