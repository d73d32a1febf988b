import { Toxiproxy, type Proxy, type Toxic } from 'toxiproxy-node-client';
import type { Type as ClientToxicType } from 'toxiproxy-node-client/dist/Toxic.js';
import type { FaultSpec, Target } from '../../../scenario/toxics.ts';
import { describeActiveToxic, fetchActiveToxics, type ActiveToxic } from './active-toxics.ts';
import { FaultInjectionError } from './errors.ts';
import { proxyStatus } from './server.ts';
import { toxicRequest, validateFault } from './toxic-request.ts';
import type { ApplyFaultOptions, FaultEvent, FaultHandle, ProxyEndpoint, ProxySet, ProxySetOptions } from './proxy-set-types.ts';

const LISTEN_HOST = '127.0.0.1';

/** Creates one proxy per upstream, each listening on 127.0.0.1 and a port the OS picks; rolls back on failure. */
export async function createProxySet(options: ProxySetOptions): Promise<ProxySet> {
  const client = new Toxiproxy(options.apiUrl);
  const proxies = new Map<Target, Proxy>();
  const adopted = new Set<Target>();
  for (const [target, name] of Object.entries(options.adopt ?? {}) as [Target, string | undefined][]) {
    if (name === undefined) continue;
    const proxy = await client.get(name).catch((error: unknown) => {
      throw apiFailure(error, options.apiUrl, `reading proxy ${name} for ${target}`, { 404: `there is no proxy named ${name} on that server` });
    });
    proxies.set(target, proxy);
    adopted.add(target);
  }
  try {
    for (const [target, upstream] of Object.entries(options.upstreams) as [Target, string | undefined][]) {
      if (upstream === undefined) continue;
      // Port 0: Toxiproxy binds and reports the real port, so there is no race for it. It keeps
      // that port when the proxy is disabled and enabled again.
      const proxy = await client
        .createProxy({ name: target, listen: `${LISTEN_HOST}:0`, upstream, enabled: true })
        .catch((error: unknown) => {
          throw apiFailure(error, options.apiUrl, `creating proxy ${target} → ${upstream}`, {
            409: `a proxy named ${target} already exists there; delete it (deleteAll() of the set that made it) or start a fresh server`,
          });
        });
      proxies.set(target, proxy);
    }
  } catch (error) {
    await Promise.allSettled([...proxies].filter(([target]) => !adopted.has(target)).map(([, proxy]) => proxy.remove()));
    throw error;
  }
  return new ToxiproxyProxySet(client, options, proxies, adopted);
}

/** How long a proxy whose removal outlasted Toxiproxy's API timeout may take to be gone. */
const REMOVAL_WAIT_MS = 120_000;

class ToxiproxyProxySet implements ProxySet {
  readonly proxies: Partial<Record<Target, ProxyEndpoint>> = {};
  readonly #client: Toxiproxy;
  readonly #apiUrl: string;
  readonly #proxies: Map<Target, Proxy>;
  /** proxies this set did not create: deleteAll() leaves them, clean */
  readonly #adopted: ReadonlySet<Target>;
  readonly #onEvent: (event: FaultEvent) => void;
  readonly #now: () => number;
  /** Every handle this set issued: handles are known by identity, so another set's handle is refused. */
  readonly #issued = new WeakSet<FaultHandle>();
  /** Faults applied and not yet removed, with the client's toxic object to remove them by. */
  readonly #active = new Map<FaultHandle, Toxic<unknown> | undefined>();
  /** The active `down` faults per target: the proxy is up again when the last one goes. */
  readonly #downHolders = new Map<Target, Set<FaultHandle>>();
  #nextId = 1;
  /** Operations run one at a time, so that events come in the order Toxiproxy saw the changes. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(client: Toxiproxy, options: ProxySetOptions, proxies: Map<Target, Proxy>, adopted: ReadonlySet<Target>) {
    this.#client = client;
    this.#apiUrl = options.apiUrl;
    this.#proxies = proxies;
    this.#adopted = adopted;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#now = options.now ?? Date.now;
    for (const [target, proxy] of proxies) {
      const port = Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1));
      this.proxies[target] = { name: target, listen: proxy.listen, host: LISTEN_HOST, port, upstream: proxy.upstream };
    }
  }

  endpoint(target: Target): ProxyEndpoint {
    const endpoint = this.proxies[target];
    if (endpoint === undefined) {
      throw new FaultInjectionError(`no proxy for target \`${target}\` in this set; it has: ${Object.keys(this.proxies).join(', ') || 'none'}`);
    }
    return endpoint;
  }

  applyFault(fault: FaultSpec, options: ApplyFaultOptions = {}): Promise<FaultHandle> {
    return this.#serially(async () => {
      validateFault(fault);
      const proxy = this.#proxy(fault.target);
      const id = this.#nextId++;
      const name = options.name ?? (fault.toxic === 'down' ? `down_${id}` : `${fault.toxic}_${fault.stream}_${id}`);
      for (const handle of this.#active.keys()) {
        if (handle.target === fault.target && handle.name === name) {
          throw new FaultInjectionError(`a fault named ${JSON.stringify(name)} is already applied to ${fault.target}; names must be unique per proxy, pass another \`name\``);
        }
      }
      const request = fault.toxic === 'down' ? undefined : toxicRequest(fault, name, options.timeScale ?? 1);
      const handle: FaultHandle = Object.freeze({
        id,
        target: fault.target,
        toxic: fault.toxic,
        name,
        stream: fault.stream,
        toxicity: fault.toxicity,
        attributes: Object.freeze({ ...request?.attributes }),
      });
      let toxic: Toxic<unknown> | undefined;
      if (request === undefined) {
        const holders = this.#downHolders.get(fault.target) ?? new Set<FaultHandle>();
        if (holders.size === 0) await this.#setEnabled(fault.target, proxy, false);
        holders.add(handle);
        this.#downHolders.set(fault.target, holders);
      } else {
        // the client's type lists the toxics it knew when it was written; Toxiproxy takes any it has
        toxic = await proxy.addToxic({ ...request, type: request.type as ClientToxicType }).catch((error: unknown) => {
          throw apiFailure(error, this.#apiUrl, `adding ${fault.toxic} toxic ${JSON.stringify(name)} to ${fault.target}`, {
            409: `a toxic named ${JSON.stringify(name)} already exists on ${fault.target} (Toxiproxy requires names unique per proxy across both streams); pass another \`name\``,
            404: `proxy ${fault.target} is gone from the server (deleted?)`,
          });
        });
      }
      this.#issued.add(handle);
      this.#active.set(handle, toxic);
      this.#emit('fault.applied', handle);
      return handle;
    });
  }

  removeFault(handle: FaultHandle): Promise<void> {
    return this.#serially(async () => {
      if (!this.#issued.has(handle)) {
        throw new FaultInjectionError(`fault ${JSON.stringify(handle.name)} on ${handle.target} was not applied by this ProxySet (pass the handle applyFault returned)`);
      }
      if (!this.#active.has(handle)) return;
      const toxic = this.#active.get(handle);
      if (toxic === undefined) {
        const holders = this.#downHolders.get(handle.target) ?? new Set<FaultHandle>();
        holders.delete(handle);
        if (holders.size === 0) {
          try {
            await this.#setEnabled(handle.target, this.#proxy(handle.target), true);
          } catch (error) {
            holders.add(handle); // still down: the fault stays active and can be removed again
            throw error;
          }
        }
      } else {
        try {
          await toxic.remove();
        } catch (error) {
          const gone = /status code 404/.test((error as Error).message);
          if (gone) this.#active.delete(handle);
          throw apiFailure(error, this.#apiUrl, `removing ${handle.toxic} toxic ${JSON.stringify(handle.name)} from ${handle.target}`, {
            404: 'it was no longer there: something outside this ProxySet removed it or its proxy',
          });
        }
      }
      this.#active.delete(handle);
      this.#emit('fault.removed', handle);
    });
  }

  resetAll(): Promise<void> {
    return this.#serially(async () => {
      await this.#client.reset().catch((error: unknown) => {
        throw apiFailure(error, this.#apiUrl, 'resetting Toxiproxy (POST /reset)', {});
      });
      this.#forgetAllFaults();
    });
  }

  listActiveToxics(): Promise<Partial<Record<Target, ActiveToxic[]>>> {
    return fetchActiveToxics(this.#apiUrl, [...this.#proxies.keys()], (proxy) => this.#downNames(proxy as Target));
  }

  async assertClean(): Promise<void> {
    const active = await this.listActiveToxics();
    const leftovers = Object.entries(active).flatMap(([proxy, toxics]) => toxics.map((toxic) => `${proxy}: ${describeActiveToxic(toxic)}`));
    if (leftovers.length > 0) {
      throw new FaultInjectionError(`Toxiproxy still has ${leftovers.length} fault(s) applied:\n  ${leftovers.join('\n  ')}\nremove them with removeFault() or resetAll()`);
    }
  }

  /**
   * Toxiproxy's API answers 503 when a handler takes over 25 s (api.go's TimeoutHandler); a proxy
   * whose accept loop is still dialling its upstream (a JobManager crash-looping behind a kind
   * NodePort) stops that slowly, and the removal goes on after the 503. Wait for it to be gone.
   */
  async #awaitRemoved(target: Target, first: Error): Promise<void> {
    const deadline = performance.now() + REMOVAL_WAIT_MS;
    while (performance.now() < deadline) {
      if ((await proxyStatus(this.#apiUrl, target, 5_000)) === 404) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`${first.message}, and the proxy was still there ${REMOVAL_WAIT_MS / 1000} s later`);
  }

  deleteAll(): Promise<void> {
    return this.#serially(async () => {
      const failures: string[] = [];
      for (const [target, proxy] of this.#proxies) {
        try {
          if (this.#adopted.has(target)) {
            await this.#clearAdopted(target, proxy);
            continue;
          }
          await proxy.remove().catch(async (error: unknown) => {
            if (!/status code 503/.test((error as Error).message)) throw error;
            await this.#awaitRemoved(target, error as Error);
          });
        } catch (error) {
          // Already gone is what we wanted; anything else is reported after the others are tried.
          if (!/status code 404/.test((error as Error).message)) failures.push(`${target}: ${(error as Error).message}`);
        }
      }
      this.#forgetAllFaults();
      if (failures.length > 0) throw new FaultInjectionError(`could not delete proxies on Toxiproxy at ${this.#apiUrl}: ${failures.join('; ')}`);
    });
  }

  /** Take this set's faults off a proxy it did not create (the proxy stays, enabled). */
  async #clearAdopted(target: Target, proxy: Proxy): Promise<void> {
    for (const [handle, toxic] of this.#active) {
      if (handle.target !== target) continue;
      if (toxic === undefined) continue;
      await toxic.remove().catch((error: unknown) => {
        if (!/status code 404/.test((error as Error).message)) throw error;
      });
    }
    if ((this.#downHolders.get(target)?.size ?? 0) > 0) await this.#setEnabled(target, proxy, true);
  }

  #proxy(target: Target): Proxy {
    const proxy = this.#proxies.get(target);
    if (proxy === undefined) {
      throw new FaultInjectionError(`no proxy for target \`${target}\` in this set; it has: ${[...this.#proxies.keys()].join(', ') || 'none'}`);
    }
    return proxy;
  }

  async #setEnabled(target: Target, proxy: Proxy, enabled: boolean): Promise<void> {
    await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream }).catch((error: unknown) => {
      throw apiFailure(error, this.#apiUrl, `${enabled ? 'enabling' : 'disabling'} proxy ${target}`, {
        404: `proxy ${target} is gone from the server (deleted?)`,
        500: enabled ? `its port ${proxy.listen} may have been taken while it was down; see the server log` : 'see the server log',
      });
    });
  }

  #downNames(target: Target): string[] {
    return [...(this.#downHolders.get(target) ?? [])].map((handle) => handle.name);
  }

  #forgetAllFaults(): void {
    const handles = [...this.#active.keys()];
    this.#active.clear();
    this.#downHolders.clear();
    for (const handle of handles) this.#emit('fault.removed', handle);
  }

  #emit(kind: FaultEvent['kind'], handle: FaultHandle): void {
    this.#onEvent({ kind, target: handle.target, toxic: handle.toxic, name: handle.name, at: this.#now() });
  }

  #serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation, operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

/**
 * Wraps an error of toxiproxy-node-client, whose message keeps only the HTTP status, into a
 * FaultInjectionError that says what was being done and what the status means here.
 */
function apiFailure(error: unknown, apiUrl: string, action: string, meanings: Record<number, string>): FaultInjectionError {
  const message = error instanceof Error ? error.message : String(error);
  const status = /status code (\d{3})/.exec(message)?.[1];
  if (status === undefined) {
    return new FaultInjectionError(`${action} failed: Toxiproxy at ${apiUrl} did not answer (${message}); is toxiproxy-server still running?`, { cause: error });
  }
  const meaning = meanings[Number(status)];
  return new FaultInjectionError(`${action} failed: Toxiproxy at ${apiUrl} answered ${status}${meaning === undefined ? '' : `: ${meaning}`}`, { cause: error });
}
