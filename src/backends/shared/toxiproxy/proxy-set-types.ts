/** What a proxy set offers its users (live sessions, tests): endpoints, faults as plain data, the evidence of each. */
import type { FaultSpec, Stream, Target, ToxicType } from '../../../scenario/toxics.ts';
import type { ActiveToxic } from './active-toxics.ts';

/** Where clients connect to reach a target through Toxiproxy. */
export interface ProxyEndpoint {
  /** The proxy's name in Toxiproxy: the target's name. */
  readonly name: Target;
  /** `127.0.0.1:<port>`, the port chosen by the OS when the proxy was created. */
  readonly listen: string;
  readonly host: string;
  readonly port: number;
  /** `host:port` the proxy forwards to. */
  readonly upstream: string;
}

/** An applied fault, as plain data: what was asked, and exactly what Toxiproxy was sent. */
export interface FaultHandle {
  readonly id: number;
  readonly target: Target;
  readonly toxic: ToxicType;
  /** Toxiproxy's toxic name; for `down` (not a toxic in Toxiproxy), the name this set gave the fault. */
  readonly name: string;
  readonly stream: Stream;
  readonly toxicity: number;
  /** As sent to Toxiproxy: all attributes explicit, after time scaling. Empty for `down`. */
  readonly attributes: Readonly<Record<string, number>>;
}

/** Evidence that a fault was applied or removed; `at` is taken from `now()` once Toxiproxy has confirmed. */
export interface FaultEvent {
  kind: 'fault.applied' | 'fault.removed';
  target: Target;
  toxic: ToxicType;
  name: string;
  at: number;
}

export interface ApplyFaultOptions {
  /** Toxic name; default `<toxic>_<stream>_<n>`, unique within the set. */
  name?: string;
  /** Run clock / scenario clock; durations are multiplied by it and bandwidth divided. Default 1. */
  timeScale?: number;
}

export interface ProxySetOptions {
  /** Base URL of Toxiproxy's API, e.g. `server.url`. */
  apiUrl: string;
  /** `host:port` each target forwards to; one proxy is created per entry. */
  upstreams: Partial<Record<Target, string>>;
  /**
   * Proxies that already exist on the server, by target and name (the control plane's `etcd`
   * proxy): faults are applied to them like to the others, but they are never created or
   * deleted here — deleteAll() only removes this set's faults from them.
   */
  adopt?: Partial<Record<Target, string>>;
  onEvent?: (event: FaultEvent) => void;
  /** Clock for event timestamps; default Date.now. */
  now?: () => number;
}

/** The proxies `apiserver` and `flink-rest` on one Toxiproxy server, and the faults applied to them. */
export interface ProxySet {
  readonly proxies: Readonly<Partial<Record<Target, ProxyEndpoint>>>;
  /** Returns the target's proxy endpoint; throws if the set has no proxy for it. */
  endpoint(target: Target): ProxyEndpoint;
  /** Applies a fault (`down` disables the proxy; anything else adds a toxic) and resolves once Toxiproxy confirms. */
  applyFault(fault: FaultSpec, options?: ApplyFaultOptions): Promise<FaultHandle>;
  /** Removes a fault applied by this set; a proxy comes back up when the last `down` on it is removed. No-op for a fault already removed. */
  removeFault(handle: FaultHandle): Promise<void>;
  /** Toxiproxy's `POST /reset`: every proxy on the server enabled, every toxic removed; records the removal of every active fault. */
  resetAll(): Promise<void>;
  /** Returns, per proxy of this set, the toxics still on it and, if it is disabled, a `down` entry. */
  listActiveToxics(): Promise<Partial<Record<Target, ActiveToxic[]>>>;
  /** Throws a FaultInjectionError naming every leftover toxic and disabled proxy of this set. */
  assertClean(): Promise<void>;
  /** Deletes this set's proxies from the server (closing their connections); records the removal of every active fault. */
  deleteAll(): Promise<void>;
}
