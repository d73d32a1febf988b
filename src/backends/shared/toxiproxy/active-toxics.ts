import type { Stream } from '../../../scenario/toxics.ts';
import { FaultInjectionError } from './errors.ts';

/** One thing still applied to a proxy: a toxic, or the proxy being disabled (`toxic: 'down'`). */
export interface ActiveToxic {
  /** Toxiproxy's toxic name; for `down`, the names of the down faults holding it, or `down` if none is known. */
  name: string;
  /** Toxiproxy's toxic type, or `down`. */
  toxic: string;
  /** Undefined for `down`, which is not directed. */
  stream: Stream | undefined;
  /** Undefined for `down`, which affects every connection. */
  toxicity: number | undefined;
  attributes: Record<string, number>;
}

interface ProxyState {
  enabled: boolean;
  toxics: { name: string; type: string; stream: Stream; toxicity: number; attributes: Record<string, number> }[];
}

/** Reads, for each of the named proxies that exists, its toxics and whether it is disabled; `downNames` names who holds a proxy down. */
export async function fetchActiveToxics(apiUrl: string, proxyNames: readonly string[], downNames: (proxy: string) => readonly string[] = () => []): Promise<Record<string, ActiveToxic[]>> {
  // fetch rather than toxiproxy-node-client: its Proxy objects drop the `toxics` list the API returns.
  let states: Record<string, ProxyState>;
  try {
    const response = await fetch(`${apiUrl}/proxies`);
    if (!response.ok) throw new Error(`GET /proxies answered ${response.status}: ${await response.text()}`);
    states = (await response.json()) as Record<string, ProxyState>;
  } catch (error) {
    throw new FaultInjectionError(`could not list proxies from Toxiproxy at ${apiUrl}: ${(error as Error).message}; is toxiproxy-server still running?`, { cause: error });
  }
  const active: Record<string, ActiveToxic[]> = {};
  for (const name of proxyNames) {
    const state = states[name];
    if (state === undefined) continue;
    const list: ActiveToxic[] = [];
    if (!state.enabled) {
      const holders = downNames(name);
      list.push({ name: holders.length === 0 ? 'down' : holders.join(', '), toxic: 'down', stream: undefined, toxicity: undefined, attributes: {} });
    }
    for (const toxic of state.toxics) {
      list.push({ name: toxic.name, toxic: toxic.type, stream: toxic.stream, toxicity: toxic.toxicity, attributes: { ...toxic.attributes } });
    }
    active[name] = list;
  }
  return active;
}

/** Describes one active toxic for an error message, e.g. `latency toxic "slow" (downstream, toxicity 1, latency=300 jitter=0)`. */
export function describeActiveToxic(toxic: ActiveToxic): string {
  if (toxic.toxic === 'down') return `proxy disabled (down fault ${JSON.stringify(toxic.name)})`;
  const attributes = Object.entries(toxic.attributes).map(([key, value]) => `${key}=${value}`).join(' ');
  return `${toxic.toxic} toxic ${JSON.stringify(toxic.name)} (${toxic.stream}, toxicity ${toxic.toxicity}${attributes === '' ? '' : `, ${attributes}`})`;
}
