/**
 * The simulated network between the trackers and each target, with Toxiproxy's semantics
 * (docs/toxics.md). One request is one connection: the request bytes flow through the target's
 * upstream toxics, the server answers when they arrive, the response flows back through the
 * downstream toxics, and the client gives up at its response timeout.
 *
 * Faithful to Toxiproxy: `down` refuses new connections and closes open ones; toxicity is drawn
 * per connection and per toxic; latency adds latency ± jitter per direction; bandwidth costs
 * bytes / rate (rate 0 stalls); slicer adds its per-piece delay; timeout drops data and closes
 * after its timeout (0: never); reset_peer resets `timeout` ms after the first data;
 * limit_data closes after its byte budget; removing a timeout closes held connections, removing
 * a stall releases it, removing a latency releases what it delays; an unreachable upstream makes
 * the proxy close the accepted connection. Simplification: a toxic added while a request is in
 * flight applies from the request's next direction on.
 *
 * Connecting: `down` refuses at once; otherwise the proxy's listener accepts within the loopback
 * round trip, whatever the toxics (Toxiproxy dials the upstream on accept and its toxics act on
 * the data of the accepted connection), so a client's connect timeout never decides a call here.
 * A dropped SYN (packet loss without a proxy) fails at the connect timeout; neither Toxiproxy nor
 * this network produces one (docs/toxics.md).
 * Reading: the response timeout is a read timeout, as in httpclient5 and OkHttp: the longest wait
 * for the next bytes, counted from the request and then between pieces of the answer, not a
 * deadline for the whole answer (a slicer's slow trickle is no timeout).
 * The server reads the world when the request has arrived, and the answer travels back after
 * that (so a change in between — a cancel — can be overtaken by an answer that predates it). A
 * call that needs etcd goes through the API server's path to etcd first (etcd.ts): faults on
 * the `etcd` target slow it, hold it, or turn it into the API server's 504.
 */
import { PortError, type PortErrorKind } from '../../models/ports.ts';
import { toxic, type FaultSpec, type Target } from '../../scenario/toxics.ts';
import type { ClusterClock } from '../flink/flink-cluster.ts';
import { SimEtcd } from './etcd.ts';
import type { Random } from './random.ts';

/** One-way latency of the loopback path and the proxy, in scenario ms. */
const BASE_ONE_WAY_MS = 0.5;
/** Bytes of an HTTP error answer with a Kubernetes Status body. */
const ERROR_RESPONSE_BYTES = 400;

export interface SimRequest<T> {
  call: string;
  target: Target;
  requestBytes: number;
  responseBytes: number;
  /** time the server takes to answer */
  serverMs: number;
  responseTimeoutMs: number;
  /** is anything listening behind the proxy (the proxy dials it when a client connects)? */
  upstreamReachable: () => boolean;
  /** runs when the request has fully arrived (and etcd has answered); its answer, or an HTTP error status */
  serve: () => { ok: T } | { status: number; message: string };
  /** the API server needs this many etcd round trips to answer (a GET 1, a consistent LIST 2; /version none) */
  etcdRoundTrips?: number;
  /** the caller's own draws (toxicity, jitter), so that what one tracker meets does not depend on which others run */
  random: Random;
  /**
   * The request says `Connection: close` (Flink's RestClient), so the server closes right after its
   * answer, and a `timeout` toxic downstream passes that close at once (docs/toxics.md): the client
   * sees the connection closed instead of waiting for its read timeout. Clients that keep the
   * connection alive (httpclient5, OkHttp) leave this out.
   */
  serverClosesAfterAnswer?: boolean;
}

interface ActiveFault {
  id: string;
  spec: FaultSpec;
}

type PhaseFate = { delayMs: number; contributions: Map<string, number> } & ({ kind: 'pass'; firstByteMs: number } | { kind: 'stall'; holder: ActiveFault } | { kind: 'close'; atMs: number; error: PortErrorKind; holder: ActiveFault });

class InFlight {
  readonly target: Target;
  readonly fail: (kind: PortErrorKind, message: string) => void;
  /** ids of the toxics whose data this request is waiting on, with the ms they add */
  contributions = new Map<string, number>();
  stalledOn: ActiveFault | undefined;
  timer: unknown;
  dueAt = 0;
  /** what runs when the timer fires (kept so a released toxic can bring it forward) */
  step: (() => void) | undefined;
  resume: (() => void) | undefined;
  /** forgets a read waiting for etcd (the client gave up) */
  forget: (() => void) | undefined;
  constructor(target: Target, fail: (kind: PortErrorKind, message: string) => void) {
    this.target = target;
    this.fail = fail;
  }
}

export class SimNetwork {
  private readonly clock: ClusterClock;
  private readonly faults = new Map<Target, ActiveFault[]>([['apiserver', []], ['flink-rest', []]]);
  private readonly inFlight = new Set<InFlight>();
  private readonly etcd: SimEtcd;

  /** `random`: the world's draws (the API server's path to etcd); `timeScale`: wall ms per scenario ms of the run (the API server's own timeouts are wall time). */
  constructor(clock: ClusterClock, random: Random, timeScale = 1) {
    this.clock = clock;
    this.etcd = new SimEtcd(clock, random, timeScale);
  }

  applyFault(id: string, spec: FaultSpec): void {
    if (spec.target === 'etcd') return this.etcd.apply(id, spec);
    this.faults.get(spec.target)!.push({ id, spec });
    if (toxic(spec.toxic).disablesProxy) {
      for (const request of [...this.inFlight]) if (request.target === spec.target) request.fail('closed', 'proxy disabled: connection closed');
    }
  }

  removeFault(id: string): void {
    this.etcd.remove(id);
    for (const [target, list] of this.faults) {
      const index = list.findIndex((fault) => fault.id === id);
      if (index < 0) continue;
      const [removed] = list.splice(index, 1);
      for (const request of [...this.inFlight]) {
        if (request.target !== target) continue;
        if (toxic(removed!.spec.toxic).closesHeldOnRemoval) request.fail('closed', 'timeout toxic removed: connection closed');
        else if (request.stalledOn?.id === id) request.resume?.();
        else if (request.contributions.has(id)) this.releaseContribution(request, id);
      }
    }
  }

  /** A change the cluster records through its API server (etcd.ts `record`): delayed while etcd cannot be written. */
  recordInCluster(apply: () => void): void {
    this.etcd.record(apply);
  }

  isDown(target: Target): boolean {
    return this.faults.get(target)?.some((fault) => toxic(fault.spec.toxic).disablesProxy === true) ?? false;
  }

  /** Send one request over a new connection; resolves with the server's answer or rejects with a PortError. */
  request<T>(spec: SimRequest<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const startedAt = this.clock.now();
      let settled = false;
      let deadline: unknown;
      const finish = () => {
        settled = true;
        this.inFlight.delete(flight);
        if (flight.timer !== undefined) this.clock.clearTimeout(flight.timer);
        if (deadline !== undefined) this.clock.clearTimeout(deadline);
        flight.forget?.();
      };
      const flight = new InFlight(spec.target, (kind, message) => {
        if (settled) return;
        finish();
        reject(new PortError(spec.call, kind, message));
      });
      const succeed = (value: T) => {
        if (settled) return;
        finish();
        resolve(value);
      };
      const at = (ms: number, fn: () => void) => {
        flight.dueAt = this.clock.now() + ms;
        flight.step = fn;
        flight.timer = this.clock.setTimeout(fn, ms);
      };
      const ensureDeadline = () => {
        deadline ??= this.clock.setTimeout(() => flight.fail('timeout', `no response within ${spec.responseTimeoutMs}ms`), Math.max(0, startedAt + spec.responseTimeoutMs - this.clock.now()));
      };
      if (this.isDown(spec.target)) {
        at(0, () => flight.fail('refused', 'connection refused (proxy down)'));
        return;
      }
      this.inFlight.add(flight);
      if (!spec.upstreamReachable()) {
        at(BASE_ONE_WAY_MS * 2, () => flight.fail('closed', 'upstream unreachable: the proxy closed the connection'));
        return;
      }
      const draws = new Map<string, boolean>();
      const runPhase = (stream: 'upstream' | 'downstream', bytes: number, next: () => void) => {
        if (this.faults.get(spec.target)!.length === 0) return at(BASE_ONE_WAY_MS, next); // no toxic: the loopback's own time
        const fate = this.phaseFate(spec.target, stream, bytes, draws, spec.random, stream === 'downstream' && spec.serverClosesAfterAnswer === true);
        flight.contributions = fate.contributions;
        if (fate.kind === 'stall') {
          flight.stalledOn = fate.holder;
          flight.resume = () => {
            flight.stalledOn = undefined;
            flight.resume = undefined;
            if (flight.timer !== undefined) this.clock.clearTimeout(flight.timer);
            runPhase(stream, bytes, next);
          };
          ensureDeadline();
          return;
        }
        if (fate.kind === 'close') {
          const closeIn = fate.atMs;
          if (this.clock.now() + closeIn > startedAt + spec.responseTimeoutMs) ensureDeadline();
          at(closeIn, () => flight.fail(fate.error, `${fate.holder.spec.toxic} toxic ${fate.error === 'reset' ? 'reset' : 'closed'} the connection`));
          return;
        }
        const readLimitAt = startedAt + spec.responseTimeoutMs;
        if (stream === 'downstream' && this.clock.now() + fate.firstByteMs <= readLimitAt) {
          // the answer's first bytes arrive in time, and its pieces are never further apart than the
          // first one took (a slicer's delay), so the read completes however long the whole takes
          if (deadline !== undefined) this.clock.clearTimeout(deadline);
          deadline = undefined;
        } else if (this.clock.now() + fate.delayMs > readLimitAt) ensureDeadline();
        at(fate.delayMs, next);
      };
      const answerWith = (answer: { ok: T } | { status: number; message: string }) => {
        flight.contributions = new Map();
        at(spec.serverMs, () => {
          runPhase('downstream', 'ok' in answer ? spec.responseBytes : ERROR_RESPONSE_BYTES, () => {
            if ('ok' in answer) succeed(answer.ok);
            else flight.fail('http', `HTTP ${answer.status}: ${answer.message}`);
          });
        });
      };
      runPhase('upstream', spec.requestBytes, () => {
        if (spec.etcdRoundTrips === undefined || !this.etcd.impaired()) return answerWith(spec.serve());
        // the API server asks etcd first; the client's own deadline still runs meanwhile
        ensureDeadline();
        flight.forget = this.etcd.read(spec.etcdRoundTrips, (outcome) => {
          flight.forget = undefined;
          if (!settled) answerWith(outcome === 'ok' ? spec.serve() : { status: outcome.status, message: outcome.message });
        });
      });
    });
  }

  /** What the toxics of one direction do to `bytes` sent now, in chain order. */
  private phaseFate(target: Target, stream: 'upstream' | 'downstream', bytes: number, draws: Map<string, boolean>, random: Random, sourceCloses = false): PhaseFate {
    let delayMs = BASE_ONE_WAY_MS;
    let firstByteMs = BASE_ONE_WAY_MS;
    const contributions = new Map<string, number>();
    for (const fault of this.faults.get(target)!) {
      const { spec } = fault;
      if (toxic(spec.toxic).disablesProxy || spec.stream !== stream) continue;
      let applies = draws.get(fault.id);
      if (applies === undefined) {
        applies = spec.toxicity >= 1 ? true : spec.toxicity <= 0 ? false : random.next() < spec.toxicity;
        draws.set(fault.id, applies);
      }
      if (!applies) continue;
      // a timeout toxic drops the data but passes the source's close at once (toxics/timeout.go)
      if (sourceCloses && spec.toxic === 'timeout') return { kind: 'close', atMs: delayMs, error: 'closed', holder: fault, delayMs, contributions };
      const effect = toxic(spec.toxic).simulate(spec.attributes, bytes, random);
      switch (effect.kind) {
        case 'delay':
          delayMs += effect.ms;
          firstByteMs += effect.firstMs ?? effect.ms;
          contributions.set(fault.id, effect.ms);
          break;
        case 'stall':
          return { kind: 'stall', holder: fault, delayMs, contributions };
        case 'close':
          return { kind: 'close', atMs: delayMs + effect.afterMs, error: effect.error, holder: fault, delayMs, contributions };
        case 'pass':
          break;
      }
    }
    return { kind: 'pass', delayMs, firstByteMs, contributions };
  }

  /** A latency-like toxic was removed: what it still held goes through at once. */
  private releaseContribution(request: InFlight, id: string): void {
    const saved = request.contributions.get(id) ?? 0;
    request.contributions.delete(id);
    if (request.timer === undefined || request.step === undefined || saved <= 0) return;
    const remaining = Math.max(0, request.dueAt - this.clock.now() - saved);
    this.clock.clearTimeout(request.timer);
    request.dueAt = this.clock.now() + remaining;
    request.timer = this.clock.setTimeout(request.step, remaining);
  }
}
