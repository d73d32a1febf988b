import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { isAlive } from '../../../src/processes/processes.ts';
import type { FaultSpec, Target, ToxicType } from '../../../src/scenario/toxics.ts';
import {
  createProxySet,
  FaultInjectionError,
  startToxiproxyServer,
  type FaultEvent,
  type ProxySet,
  type ToxiproxyServer,
} from '../../../src/backends/shared/toxiproxy/index.ts';

// Until `npm run tools` has put toxiproxy-server in .tools/bin, use the locally built one.
const scratch = mkdtempSync(join(tmpdir(), 'statuschaos-toxiproxy-test-'));
const projectTools = join(import.meta.dirname, '..', '..', '..', '.tools', 'bin', 'toxiproxy-server');
const savedToolsDir = process.env.STATUSCHAOS_TOOLS_DIR;
if (savedToolsDir === undefined && !existsSync(projectTools) && existsSync('/tmp/gobin/server')) {
  mkdirSync(join(scratch, 'tools', 'bin'), { recursive: true });
  symlinkSync('/tmp/gobin/server', join(scratch, 'tools', 'bin', 'toxiproxy-server'));
  process.env.STATUSCHAOS_TOOLS_DIR = join(scratch, 'tools');
}
// tools.ts reads the env once, at import: import it only now, then restore the env.
const { missingTools, toolsBinDir } = await import('../../support/tools.ts');
if (savedToolsDir === undefined) delete process.env.STATUSCHAOS_TOOLS_DIR;
const skipReason = missingTools(['toxiproxy-server']);
const binary = join(toolsBinDir, 'toxiproxy-server');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fault with Toxiproxy's defaults (downstream, toxicity 1) unless overridden. */
function fault(target: Target, toxic: ToxicType, attributes: Record<string, number> = {}, overrides: Partial<FaultSpec> = {}): FaultSpec {
  return { target, toxic, stream: 'downstream', toxicity: 1, attributes, ...overrides };
}

/** What a raw TCP client saw of one connection. */
interface Outcome {
  /** eof: the peer closed cleanly (FIN); reset: ECONNRESET; refused: ECONNREFUSED; client-timeout: we gave up. */
  end: 'eof' | 'reset' | 'refused' | 'client-timeout' | `error ${string}`;
  received: string;
  chunks: number;
  firstByteMs: number | undefined;
  elapsedMs: number;
}

/** A raw TCP connection to 127.0.0.1:port that records what it receives and how it ends. */
function openConnection(port: number): { socket: Socket; request(path: string, options?: { close?: boolean }): void; ended: Promise<Outcome>; received(): string } {
  const started = performance.now();
  const socket = connect(port, '127.0.0.1');
  const outcome: Outcome = { end: 'eof', received: '', chunks: 0, firstByteMs: undefined, elapsedMs: 0 };
  socket.on('data', (chunk: Buffer) => {
    outcome.firstByteMs ??= performance.now() - started;
    outcome.received += chunk.toString('latin1');
    outcome.chunks++;
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    outcome.end = error.code === 'ECONNRESET' ? 'reset' : error.code === 'ECONNREFUSED' ? 'refused' : `error ${error.code ?? error.message}`;
  });
  const ended = new Promise<Outcome>((resolve) => {
    socket.on('close', () => {
      outcome.elapsedMs = performance.now() - started;
      resolve(outcome);
    });
  });
  return {
    socket,
    ended,
    received: () => outcome.received,
    request(path, options = {}) {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: upstream\r\n${options.close === false ? '' : 'Connection: close\r\n'}\r\n`);
    },
  };
}

/**
 * Sends one `GET path` and reports how the connection ended, giving up after `timeoutMs`. With
 * `close` (the default) the request says `Connection: close`, so the server hangs up after answering;
 * without it the server keeps the connection open.
 */
async function exchange(port: number, path: string, options: { timeoutMs?: number; close?: boolean } = {}): Promise<Outcome> {
  const connection = openConnection(port);
  connection.socket.once('connect', () => connection.request(path, { close: options.close ?? true }));
  let gaveUp = false;
  const timer = setTimeout(() => {
    gaveUp = true;
    connection.socket.destroy();
  }, options.timeoutMs ?? 2_000);
  const outcome = await connection.ended;
  clearTimeout(timer);
  if (gaveUp) outcome.end = 'client-timeout';
  return outcome;
}

const bodyOf = (raw: string): string => raw.slice(raw.indexOf('\r\n\r\n') + 4);

describe.skipIf(skipReason !== undefined)('toxiproxy-server process', () => {
  test('starts on a free port, reports version 2.12.0, and stop() kills it; stopping twice is fine', { timeout: 5_000 }, async () => {
    const server = await startToxiproxyServer({ binary, logFile: join(scratch, 'process.log') });
    expect(server.version).toBe('2.12.0');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect((await fetch(`${server.url}/proxies`)).status).toBe(200);
    expect(isAlive(server.pid)).toBe(true);
    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
    await server.stop();
    expect(await server.exited).toMatchObject({ code: 0 });
  });

  test('a server that dies before answering fails with its exit and the log tail', { timeout: 5_000 }, async () => {
    const fake = join(scratch, 'dying-server');
    writeFileSync(fake, '#!/bin/sh\necho "bind: something is badly wrong"\nexit 3\n');
    chmodSync(fake, 0o755);
    const start = startToxiproxyServer({ binary: fake, logFile: join(scratch, 'dying.log') });
    await expect(start).rejects.toThrow(FaultInjectionError);
    await expect(start).rejects.toThrow(/exit code 3[\s\S]*something is badly wrong/);
  });

  test('a port taken between picking and binding is detected in the log, and another port is tried', { timeout: 5_000 }, async () => {
    const squatter = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    const ports = [taken];
    const { freeLocalPort } = await import('../../../src/backends/shared/toxiproxy/free-port.ts');
    const server = await startToxiproxyServer({ binary, logFile: join(scratch, 'race.log'), pickPort: async () => ports.shift() ?? freeLocalPort() });
    try {
      expect(server.port).not.toBe(taken);
      expect(readFileSync(join(scratch, 'race.log'), 'utf8')).toContain('address already in use');
    } finally {
      await server.stop();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  test('a missing binary is named, with what to do', async () => {
    await expect(startToxiproxyServer({ binary: join(scratch, 'nope'), logFile: join(scratch, 'nope.log') })).rejects.toThrow(/not found at .*nope.*npm run tools/);
  });

  test('aborting the signal stops a started server', { timeout: 5_000 }, async () => {
    const controller = new AbortController();
    const server = await startToxiproxyServer({ binary, logFile: join(scratch, 'abort.log'), signal: controller.signal });
    controller.abort();
    await server.exited;
    expect(isAlive(server.pid)).toBe(false);
  });
});

describe.skipIf(skipReason !== undefined)('ProxySet against a real toxiproxy-server', () => {
  let server: ToxiproxyServer;
  let upstream: Server;
  let upstreamAddress: string;
  let set: ProxySet;
  let events: FaultEvent[];
  let port: number;
  let clock: number;

  beforeAll(async () => {
    // GET /bytes/N answers N bytes of 'x'.
    upstream = createServer((request, response) => {
      const size = Number(/^\/bytes\/(\d+)$/.exec(request.url ?? '')?.[1] ?? 2);
      response.setHeader('content-length', size);
      response.end('x'.repeat(size));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const address = upstream.address();
    if (address === null || typeof address !== 'object') throw new Error('upstream has no port');
    upstreamAddress = `127.0.0.1:${address.port}`;
    server = await startToxiproxyServer({ binary, logFile: join(scratch, 'toxiproxy.log') });
  });

  afterAll(async () => {
    await server?.stop();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  beforeEach(async () => {
    events = [];
    clock = 1_000;
    set = await createProxySet({
      apiUrl: server.url,
      upstreams: { apiserver: upstreamAddress, 'flink-rest': upstreamAddress },
      onEvent: (event) => events.push(event),
      now: () => clock++,
    });
    port = set.endpoint('apiserver').port;
  });

  afterEach(async () => {
    await set.deleteAll();
  });

  test('without a toxic, a GET through the proxy succeeds', async () => {
    const outcome = await exchange(port, '/bytes/5');
    expect(outcome.end).toBe('eof');
    expect(outcome.received).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(bodyOf(outcome.received)).toBe('xxxxx');
  });

  test('an adopted proxy (the control plane\'s etcd proxy) takes faults, and deleteAll leaves it there, enabled and clean', async () => {
    const own = await fetch(`${server.url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'etcd-like', listen: '127.0.0.1:0', upstream: upstreamAddress, enabled: true }) });
    expect(own.status).toBe(201);
    const listen = ((await own.json()) as { listen: string }).listen;
    const adopted = await createProxySet({ apiUrl: server.url, upstreams: {}, adopt: { etcd: 'etcd-like' } });
    try {
      expect(adopted.endpoint('etcd').listen).toBe(listen);
      await adopted.applyFault(fault('etcd', 'down'));
      await adopted.applyFault(fault('etcd', 'latency', { latency: 50 }));
      expect((await exchange(adopted.endpoint('etcd').port, '/bytes/5')).end).toBe('refused');
      await adopted.deleteAll();
      const after = (await (await fetch(`${server.url}/proxies/etcd-like`)).json()) as { enabled: boolean; toxics: unknown[] };
      expect(after).toMatchObject({ enabled: true, toxics: [] });
      expect(bodyOf((await exchange(adopted.endpoint('etcd').port, '/bytes/5')).received)).toBe('xxxxx');
    } finally {
      await fetch(`${server.url}/proxies/etcd-like`, { method: 'DELETE' });
    }
  });

  test('adopting a proxy the server does not have fails, saying so', async () => {
    await expect(createProxySet({ apiUrl: server.url, upstreams: {}, adopt: { etcd: 'no-such-proxy' } })).rejects.toThrow(/there is no proxy named no-such-proxy/);
  });

  test('down refuses connections; after removeFault they go through again; both are recorded', async () => {
    const handle = await set.applyFault(fault('apiserver', 'down'));
    expect((await exchange(port, '/bytes/5')).end).toBe('refused');
    await set.removeFault(handle);
    expect(bodyOf((await exchange(port, '/bytes/5')).received)).toBe('xxxxx');
    expect(events).toEqual([
      { kind: 'fault.applied', target: 'apiserver', toxic: 'down', name: handle.name, at: 1_000 },
      { kind: 'fault.removed', target: 'apiserver', toxic: 'down', name: handle.name, at: 1_001 },
    ]);
  });

  test('down closes connections already open (the client sees EOF, not a reset)', async () => {
    const connection = openConnection(port);
    connection.request('/bytes/5', { close: false });
    await expect.poll(() => connection.received()).toMatch(/xxxxx$/);
    await set.applyFault(fault('apiserver', 'down'));
    const outcome = await connection.ended;
    expect(outcome.end).toBe('eof');
  });

  test('two downs on one target: the proxy stays down until both are removed', async () => {
    const first = await set.applyFault(fault('apiserver', 'down'));
    const second = await set.applyFault(fault('apiserver', 'down'));
    await set.removeFault(first);
    expect((await exchange(port, '/bytes/5')).end).toBe('refused');
    await set.removeFault(second);
    expect((await exchange(port, '/bytes/5')).end).toBe('eof');
  });

  test('latency 300 ms delays the response by at least 300 ms', async () => {
    await set.applyFault(fault('apiserver', 'latency', { latency: 300, jitter: 0 }));
    const outcome = await exchange(port, '/bytes/5');
    expect(bodyOf(outcome.received)).toBe('xxxxx');
    expect(outcome.firstByteMs).toBeGreaterThanOrEqual(295); // timer granularity
  });

  test('timeScale 0.5 halves the latency: at least 150 ms, under 300 ms', async () => {
    const handle = await set.applyFault(fault('apiserver', 'latency', { latency: 300, jitter: 0 }), { timeScale: 0.5 });
    expect(handle.attributes).toEqual({ latency: 150, jitter: 0 });
    const outcome = await exchange(port, '/bytes/5');
    expect(outcome.firstByteMs).toBeGreaterThanOrEqual(145);
    expect(outcome.firstByteMs).toBeLessThan(300);
  });

  test('two toxics of the same type and stream on one target both apply, under distinct names', async () => {
    const first = await set.applyFault(fault('apiserver', 'latency', { latency: 150 }));
    const second = await set.applyFault(fault('apiserver', 'latency', { latency: 150 }));
    expect(first.name).not.toBe(second.name);
    expect((await exchange(port, '/bytes/5')).firstByteMs).toBeGreaterThanOrEqual(295);
    await set.removeFault(first);
    const outcome = await exchange(port, '/bytes/5');
    expect(outcome.firstByteMs).toBeGreaterThanOrEqual(145);
    expect(outcome.firstByteMs).toBeLessThan(295);
  });

  test('a name already in use on the target fails loudly', async () => {
    await set.applyFault(fault('apiserver', 'latency', { latency: 1 }), { name: 'slow' });
    await expect(set.applyFault(fault('apiserver', 'latency', { latency: 1 }, { stream: 'upstream' }), { name: 'slow' })).rejects.toThrow(/named "slow" is already applied to apiserver/);
  });

  test('a name Toxiproxy already has (set from elsewhere) fails with what the 409 means', async () => {
    await fetch(`${server.url}/proxies/apiserver/toxics`, { method: 'POST', body: JSON.stringify({ name: 'external', type: 'latency', attributes: { latency: 1 } }) });
    await expect(set.applyFault(fault('apiserver', 'latency', { latency: 1 }), { name: 'external' })).rejects.toThrow(/answered 409: a toxic named "external" already exists on apiserver/);
  });

  test("another set's handle is refused instead of removing the wrong fault", async () => {
    const handle = await set.applyFault(fault('apiserver', 'latency', { latency: 1 }));
    const other = await createProxySet({ apiUrl: server.url, upstreams: {} });
    await expect(other.removeFault(handle)).rejects.toThrow(/was not applied by this ProxySet/);
  });

  test('timeout 0: no data, the connection stays open until the client gives up', async () => {
    await set.applyFault(fault('apiserver', 'timeout', { timeout: 0 }));
    const outcome = await exchange(port, '/bytes/5', { close: false, timeoutMs: 500 });
    expect(outcome.end).toBe('client-timeout');
    expect(outcome.received).toBe('');
  });

  test('timeout 200: the connection is closed after about 200 ms with no data', async () => {
    await set.applyFault(fault('apiserver', 'timeout', { timeout: 200 }));
    const outcome = await exchange(port, '/bytes/5', { close: false });
    expect(outcome.end).toBe('eof');
    expect(outcome.received).toBe('');
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(190);
    expect(outcome.elapsedMs).toBeLessThan(1_000);
  });

  test('timeout drops data but not the close: when the server hangs up, the client sees EOF at once', async () => {
    await set.applyFault(fault('apiserver', 'timeout', { timeout: 0 }));
    const outcome = await exchange(port, '/bytes/5', { close: true, timeoutMs: 1_000 });
    expect(outcome.end).toBe('eof');
    expect(outcome.received).toBe('');
    expect(outcome.elapsedMs).toBeLessThan(500);
  });

  test('removing a timeout toxic closes the connections it held, instead of letting data through', async () => {
    const handle = await set.applyFault(fault('apiserver', 'timeout', { timeout: 0 }));
    const connection = openConnection(port);
    connection.request('/bytes/5', { close: false });
    await sleep(100);
    await set.removeFault(handle);
    const outcome = await connection.ended;
    expect(outcome.end).toBe('eof');
    expect(outcome.received).toBe('');
  });

  test('removing a timeout toxic closes even the connections its toxicity spared', async () => {
    const handle = await set.applyFault(fault('apiserver', 'timeout', { timeout: 0 }, { toxicity: 0 }));
    const connection = openConnection(port);
    connection.request('/bytes/5', { close: false });
    await expect.poll(() => connection.received()).toMatch(/xxxxx$/);
    await set.removeFault(handle);
    expect((await connection.ended).end).toBe('eof');
  });

  test('reset_peer: the client sees ECONNRESET', async () => {
    await set.applyFault(fault('apiserver', 'reset_peer', { timeout: 0 }));
    const outcome = await exchange(port, '/bytes/5');
    expect(outcome.end).toBe('reset');
    expect(outcome.received).toBe('');
  });

  test('reset_peer added to a connection already open closes it with a FIN, not a reset', async () => {
    const connection = openConnection(port);
    connection.request('/bytes/5', { close: false });
    await expect.poll(() => connection.received()).toMatch(/xxxxx$/);
    await set.applyFault(fault('apiserver', 'reset_peer', { timeout: 0 }));
    connection.request('/bytes/5', { close: false });
    const outcome = await connection.ended;
    expect(outcome.end).toBe('eof');
    expect(outcome.received.match(/HTTP\/1\.1 200/g)).toHaveLength(1);
  });

  test('limit_data: the response is cut after N bytes, then the connection closes', async () => {
    await set.applyFault(fault('apiserver', 'limit_data', { bytes: 100 }));
    const outcome = await exchange(port, '/bytes/10000');
    expect(outcome.end).toBe('eof');
    expect(outcome.received).toHaveLength(100);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  test('slow_close: data arrives at once, the close is delayed', async () => {
    await set.applyFault(fault('apiserver', 'slow_close', { delay: 300 }));
    const outcome = await exchange(port, '/bytes/5');
    expect(bodyOf(outcome.received)).toBe('xxxxx');
    expect(outcome.firstByteMs).toBeLessThan(200);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(295);
  });

  test('bandwidth 10 KB/s: 5 kB take about half a second; timeScale 0.5 doubles the rate', async () => {
    const handle = await set.applyFault(fault('apiserver', 'bandwidth', { rate: 10 }));
    const slow = await exchange(port, '/bytes/5000');
    expect(bodyOf(slow.received)).toHaveLength(5000);
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(450);
    await set.removeFault(handle);
    const scaled = await set.applyFault(fault('apiserver', 'bandwidth', { rate: 10 }), { timeScale: 0.5 });
    expect(scaled.attributes).toEqual({ rate: 20 });
    const fast = await exchange(port, '/bytes/5000');
    expect(bodyOf(fast.received)).toHaveLength(5000);
    expect(fast.elapsedMs).toBeGreaterThanOrEqual(200);
    expect(fast.elapsedMs).toBeLessThan(450);
  });

  test('slicer: the response arrives whole, in many pieces', async () => {
    await set.applyFault(fault('apiserver', 'slicer', { average_size: 100, size_variation: 20, delay: 2_000 }));
    const outcome = await exchange(port, '/bytes/10000');
    expect(outcome.end).toBe('eof');
    expect(bodyOf(outcome.received)).toBe('x'.repeat(10_000));
    expect(outcome.chunks).toBeGreaterThan(10);
  });

  test.for([
    { toxicity: 0, slow: false, proves: 'toxicity 0 never affects a connection' },
    { toxicity: 1, slow: true, proves: 'toxicity 1 affects every connection' },
  ])('$proves', async ({ toxicity, slow }) => {
    await set.applyFault(fault('apiserver', 'latency', { latency: 300 }, { toxicity }));
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => exchange(port, '/bytes/5')));
    expect(outcomes.map((outcome) => (outcome.firstByteMs ?? 0) >= 295)).toEqual(Array(5).fill(slow));
  });

  test('reset_peer with toxicity 0 passes data, yet its connections are closed with a reset (SO_LINGER 0 regardless of toxicity)', async () => {
    await set.applyFault(fault('apiserver', 'reset_peer', { timeout: 0 }, { toxicity: 0 }));
    const connection = openConnection(port);
    connection.request('/bytes/5', { close: false });
    await expect.poll(() => connection.received()).toMatch(/xxxxx$/);
    connection.socket.end(); // the client hangs up first; Toxiproxy closes its side abortively
    expect((await connection.ended).end).toBe('reset');
  });

  test('listActiveToxics shows toxics as applied (scaled) and a disabled proxy as down', async () => {
    await set.applyFault(fault('apiserver', 'latency', { latency: 300 }), { name: 'slow', timeScale: 0.5 });
    await set.applyFault(fault('flink-rest', 'down'), { name: 'outage' });
    expect(await set.listActiveToxics()).toEqual({
      apiserver: [{ name: 'slow', toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 150, jitter: 0 } }],
      'flink-rest': [{ name: 'outage', toxic: 'down', stream: undefined, toxicity: undefined, attributes: {} }],
    });
  });

  test('resetAll clears toxics and downs, records their removal, and assertClean passes', async () => {
    await set.applyFault(fault('apiserver', 'latency', { latency: 100 }));
    await set.applyFault(fault('apiserver', 'reset_peer', { timeout: 0 }, { stream: 'upstream' }));
    const down = await set.applyFault(fault('flink-rest', 'down'));
    await set.resetAll();
    await set.assertClean();
    expect(await set.listActiveToxics()).toEqual({ apiserver: [], 'flink-rest': [] });
    expect(events.filter((event) => event.kind === 'fault.removed')).toHaveLength(3);
    expect((await exchange(set.endpoint('flink-rest').port, '/bytes/5')).end).toBe('eof');
    await set.removeFault(down); // already cleared by the reset: a no-op
    expect(events).toHaveLength(6);
  });

  test('assertClean fails naming every leftover toxic and disabled proxy', async () => {
    await set.applyFault(fault('apiserver', 'latency', { latency: 100 }), { name: 'forgotten-latency' });
    await set.applyFault(fault('flink-rest', 'down'), { name: 'forgotten-outage' });
    const failure = set.assertClean();
    await expect(failure).rejects.toThrow(FaultInjectionError);
    await expect(failure).rejects.toThrow(/apiserver: latency toxic "forgotten-latency"[\s\S]*flink-rest: proxy disabled \(down fault "forgotten-outage"\)/);
  });

  test.for([
    { spec: fault('apiserver', 'latency', { latncy: 10 }), message: /unknown attribute `latncy` for toxic latency \(allowed: latency, jitter\)/ },
    { spec: fault('apiserver', 'down', {}, { toxicity: 0.5 }), message: /`down` disables the whole proxy and has no toxicity/ },
    { spec: fault('apiserver', 'latency', {}, { toxicity: 1.5 }), message: /`toxicity` to be a number in \[0, 1\], got 1\.5/ },
    { spec: fault('apiserver', 'slicer', { average_size: 10, size_variation: 10 }), message: /size_variation` < `average_size`/ },
    { spec: fault('apiserver', 'limit_data', { bytes: 1.5 }), message: /whole number of bytes, got 1\.5/ },
  ])('rejects before calling Toxiproxy: $message', async ({ spec, message }) => {
    await expect(set.applyFault(spec)).rejects.toThrow(message);
    expect(events).toEqual([]);
  });
});
