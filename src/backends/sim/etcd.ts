/**
 * The path from the simulated API server to etcd, with what kube-apiserver does to a call that
 * needs etcd while that path is faulted — as measured on the local backend
 * (scripts/measure-etcd-faults.mjs → test/fixtures/etcd-faults/measured.json; docs/toxics.md,
 * "The etcd target"):
 *   - etcd unreachable (a toxic that refuses, resets, stalls or drops its data): the API server
 *     holds every read that needs etcd until etcd answers again, and after its request timeout
 *     (60 s) answers 504 Timeout. Its own port, /version and open connections stay healthy;
 *   - after the heal, reads need etcd's client to have a working connection again: at once when
 *     the stalled data is let through (bandwidth 0); within a fraction of a second, or 5 s after
 *     a long outage, when the toxic's removal closes the connection it held (timeout); after a
 *     refused or reset connection only at the client's next attempt, on gRPC's growing back-off
 *     (up to a minute after a two-minute outage);
 *   - a slow path (latency, bandwidth, slicer) delays each etcd round trip: a GET needs one, a
 *     consistent LIST two (the current revision, then the watch cache catching up to it).
 * These are wall-clock constants of kube-apiserver and gRPC: a run whose clock is scaled (the
 * `fast` profile) sees them stretched in scenario time, as the local backend does.
 */
import { RECONNECT_AFTER_CLOSE, RECONNECT_BACKOFF } from '../../scenario/etcd-reconnect.ts';
import { toxic, type FaultSpec } from '../../scenario/toxics.ts';
import type { ClusterClock } from '../flink/flink-cluster.ts';
import type { Random } from './random.ts';

export interface MeasuredEtcdFault {
  id: string;
  description: string;
  spec: FaultSpec;
  /** also measure how long the API takes to answer again after outages of several lengths */
  measureRecovery?: true;
}

const etcd = (type: FaultSpec['toxic'], attributes: Record<string, number> = {}, stream: FaultSpec['stream'] = 'downstream'): FaultSpec => ({ target: 'etcd', toxic: type, stream, toxicity: 1, attributes });

/** The faults the measurement script puts between kube-apiserver and etcd, one at a time. */
export const MEASURED_ETCD_FAULTS: readonly MeasuredEtcdFault[] = [
  { id: 'down', description: 'the etcd proxy disabled: connections closed, new ones refused', spec: etcd('down'), measureRecovery: true },
  { id: 'timeout-0', description: 'every byte from etcd dropped, connections held open', spec: etcd('timeout', { timeout: 0 }), measureRecovery: true },
  { id: 'timeout-2s', description: 'every byte from etcd dropped, connections closed after 2 s idle', spec: etcd('timeout', { timeout: 2_000 }) },
  { id: 'reset_peer', description: 'connections to etcd reset at their first data', spec: etcd('reset_peer', { timeout: 0 }), measureRecovery: true },
  { id: 'latency-2s', description: "etcd's answers 2 s late", spec: etcd('latency', { latency: 2_000 }) },
  { id: 'latency-2s-upstream', description: 'requests to etcd 2 s late', spec: etcd('latency', { latency: 2_000 }, 'upstream') },
  { id: 'bandwidth-0', description: "etcd's answers stalled", spec: etcd('bandwidth', { rate: 0 }) },
  { id: 'limit_data-0', description: 'the connection to etcd closed at its first byte from etcd', spec: etcd('limit_data', { bytes: 0 }) },
  { id: 'slicer', description: "etcd's answers sliced in 100-byte pieces 100 µs apart", spec: etcd('slicer', { average_size: 100, size_variation: 10, delay: 100 }) },
  { id: 'slow_close', description: 'closes from etcd held 2 s', spec: etcd('slow_close', { delay: 2_000 }) },
];

/** What kube-apiserver answers a read that etcd did not answer within its request timeout (`--request-timeout`, 60 s). */
export const API_SERVER_TIMEOUT = { wallMs: 60_000, status: 504, message: 'Timeout: request did not complete within the allotted timeout' } as const;


/** Bytes of one etcd request and answer on the wire (a range request; one object). */
const ETCD_MESSAGE_BYTES = 600;

/**
 * How etcd's client gets a working connection back once the fault is gone: its data let through
 * (`at-once`), a new connection after the toxic closed the one it held (`after-close`), or the
 * next attempt on its back-off, every attempt having failed at once (`backoff`).
 */
export type Reconnect = 'at-once' | 'after-close' | 'backoff';

/** How a fault on the path to etcd acts on the API server's calls to it. */
export type EtcdImpact = { kind: 'unreachable'; reconnect: Reconnect } | { kind: 'slow'; upstreamMs: number; downstreamMs: number } | { kind: 'none' };

/** The impact of one fault, from the toxic registry's own effect on a message to etcd. */
export function etcdImpact(spec: FaultSpec, random: Random): EtcdImpact {
  const definition = toxic(spec.toxic);
  if (definition.disablesProxy) return { kind: 'unreachable', reconnect: 'backoff' };
  const effect = definition.simulate(spec.attributes, ETCD_MESSAGE_BYTES, random);
  const held: Reconnect = definition.closesHeldOnRemoval ? 'after-close' : 'at-once';
  switch (effect.kind) {
    case 'stall':
      return { kind: 'unreachable', reconnect: held };
    case 'close':
      // closed as soon as data flows: every new connection fails at once, so gRPC backs off;
      // closed only after a silence: the connection looks alive, and the data never comes
      return { kind: 'unreachable', reconnect: effect.error === 'reset' || effect.afterMs === 0 ? 'backoff' : held };
    case 'delay':
      return spec.stream === 'upstream' ? { kind: 'slow', upstreamMs: effect.ms, downstreamMs: 0 } : { kind: 'slow', upstreamMs: 0, downstreamMs: effect.ms };
    case 'pass':
      return { kind: 'none' };
  }
}

const RECONNECT_ORDER: readonly Reconnect[] = ['at-once', 'after-close', 'backoff'];

function slower(a: Reconnect, b: Reconnect): Reconnect {
  return RECONNECT_ORDER.indexOf(a) >= RECONNECT_ORDER.indexOf(b) ? a : b;
}

/** gRPC's reconnect attempts from the moment the connection broke, in wall ms: the first one after `outageMs` is when etcd is reachable again. */
export function reconnectAfter(outageMs: number, random: Random): number {
  let at = 0;
  let backoff: number = RECONNECT_BACKOFF.firstMs;
  while (at < outageMs) {
    const jittered = backoff * (1 + RECONNECT_BACKOFF.jitter * (random.next() * 2 - 1));
    at += jittered;
    backoff = Math.min(backoff * RECONNECT_BACKOFF.multiplier, RECONNECT_BACKOFF.maxMs);
  }
  return at - outageMs;
}

/** How long after the heal etcd answers the API server again, wall ms, for an outage of `outageWallMs`. */
export function recoveryAfter(reconnect: Reconnect, outageWallMs: number, random: Random): number {
  if (reconnect === 'at-once') return 0;
  if (reconnect === 'backoff') return reconnectAfter(outageWallMs, random);
  return outageWallMs < RECONNECT_AFTER_CLOSE.keepaliveWallMs ? RECONNECT_AFTER_CLOSE.quickWallMs : RECONNECT_AFTER_CLOSE.afterKeepaliveWallMs;
}

/** A read waiting at the API server for etcd. */
interface Waiter {
  roundTrips: number;
  done: (answer: 'ok' | typeof API_SERVER_TIMEOUT) => void;
  timeout: unknown;
}

/** The API server's path to etcd in one simulated run. */
export class SimEtcd {
  private readonly clock: ClusterClock;
  private readonly random: Random;
  /** wall ms per scenario ms (the API server's and gRPC's constants are wall time) */
  private readonly timeScale: number;
  private readonly impacts = new Map<string, EtcdImpact>();
  /** since when etcd is unreachable, and the slowest way back of the faults that made it so */
  private outage: { since: number; reconnect: Reconnect } | undefined;
  /** reachable again from then on (after the last failing fault went, and the reconnect) */
  private availableAt = 0;
  private readonly waiters = new Set<Waiter>();
  /** changes the cluster has to record (the kubelet's status updates), in order, waiting for etcd */
  private readonly pendingWrites: (() => void)[] = [];
  private wakeTimer: unknown;

  constructor(clock: ClusterClock, random: Random, timeScale: number) {
    this.clock = clock;
    this.random = random;
    this.timeScale = timeScale;
  }

  apply(id: string, spec: FaultSpec): void {
    // Toxicity is drawn once: the API server keeps one connection to etcd.
    const applies = spec.toxicity >= 1 || (spec.toxicity > 0 && this.random.next() < spec.toxicity);
    const impact = applies ? etcdImpact(spec, this.random) : { kind: 'none' as const };
    this.impacts.set(id, impact);
    if (impact.kind === 'unreachable') {
      this.outage ??= { since: this.clock.now(), reconnect: 'at-once' };
      this.outage.reconnect = slower(this.outage.reconnect, impact.reconnect);
    }
  }

  remove(id: string): void {
    if (!this.impacts.delete(id) || this.outage === undefined || this.failing()) return;
    const now = this.clock.now();
    const outageWallMs = (now - this.outage.since) * this.timeScale;
    const recoveryWallMs = recoveryAfter(this.outage.reconnect, outageWallMs, this.random);
    this.outage = undefined;
    this.availableAt = now + recoveryWallMs / this.timeScale;
    this.scheduleWake();
  }

  /** Is anything on the path to etcd? (When not, calls go straight through.) */
  impaired(): boolean {
    return this.impacts.size > 0 || this.clock.now() < this.availableAt || this.waiters.size > 0;
  }

  /**
   * A read that needs `roundTrips` etcd round trips arrived at the API server now: `done('ok')`
   * when etcd has answered, or `done(API_SERVER_TIMEOUT)` when the API server gives up first.
   * Returns a function that forgets the read (its client gave up).
   */
  read(roundTrips: number, done: (answer: 'ok' | typeof API_SERVER_TIMEOUT) => void): () => void {
    if (this.reachable()) {
      const timer = this.clock.setTimeout(() => done('ok'), this.roundTripMs() * roundTrips);
      return () => this.clock.clearTimeout(timer);
    }
    const waiter: Waiter = { roundTrips, done, timeout: undefined };
    waiter.timeout = this.clock.setTimeout(() => {
      this.waiters.delete(waiter);
      done(API_SERVER_TIMEOUT);
    }, API_SERVER_TIMEOUT.wallMs / this.timeScale);
    this.waiters.add(waiter);
    return () => {
      this.waiters.delete(waiter);
      this.clock.clearTimeout(waiter.timeout);
    };
  }

  /**
   * A change the cluster records through the API server, from a writer that retries until it is
   * recorded (the kubelet's status manager): applied now when nothing is on the path to etcd,
   * after a round trip when it is slow, and once etcd answers again when it is unreachable —
   * every change waiting, in the order they were made.
   */
  record(apply: () => void): void {
    if (!this.impaired()) return apply();
    this.pendingWrites.push(apply);
    if (this.reachable()) this.flushWrites();
  }

  private flushWrites(): void {
    const writes = this.pendingWrites.splice(0);
    if (writes.length > 0) this.clock.setTimeout(() => writes.forEach((apply) => apply()), this.roundTripMs());
  }

  private failing(): boolean {
    for (const impact of this.impacts.values()) if (impact.kind === 'unreachable') return true;
    return false;
  }

  private reachable(): boolean {
    return !this.failing() && this.clock.now() >= this.availableAt;
  }

  /** One etcd round trip's extra time from the slow faults (Toxiproxy's latencies add up). */
  private roundTripMs(): number {
    let ms = 0;
    for (const impact of this.impacts.values()) if (impact.kind === 'slow') ms += impact.upstreamMs + impact.downstreamMs;
    return ms;
  }

  /** Etcd answers again at `availableAt`: the waiting reads go on then. */
  private scheduleWake(): void {
    if (this.wakeTimer !== undefined) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      if (!this.reachable()) return;
      this.flushWrites();
      for (const waiter of [...this.waiters]) {
        this.waiters.delete(waiter);
        this.clock.clearTimeout(waiter.timeout);
        const { done } = waiter;
        this.clock.setTimeout(() => done('ok'), this.roundTripMs() * waiter.roundTrips);
      }
    }, Math.max(0, this.availableAt - this.clock.now()));
  }
}
