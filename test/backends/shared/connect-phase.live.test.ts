// Issue 21 item 5: can any fault the harness makes end a call on the client's connect timeout
// (StreamPark's REST GET: 30 s, FLINK_REST_AWAIT_TIMEOUT_SEC)? Measured with the live REST client
// against a real toxiproxy-server: a `timeout` toxic, a disabled proxy (`down`), a port nothing
// listens on. The TCP handshake is the kernel's, the same for Java's client and Node's: behind
// Toxiproxy it is with the proxy's listener, which accepts at once whatever the toxics; a disabled
// proxy and a closed port refuse at once. So no call ends on its connect timeout, and the connect
// phase cannot change a trace (docs/models.md, issue 21 item 5). A black-holed address (SYNs
// dropped) would; no backend makes one.
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { httpCall } from '../../../src/backends/shared/http-client.ts';
import { freeLocalPort } from '../../../src/backends/shared/toxiproxy/free-port.ts';
import { createProxySet, startToxiproxyServer, type ProxySet, type ToxiproxyServer } from '../../../src/backends/shared/toxiproxy/index.ts';
import { PortError } from '../../../src/models/ports.ts';
import type { FaultSpec } from '../../../src/scenario/toxics.ts';
import { missingTools, toolsBinDir } from '../../support/tools.ts';

const missing = missingTools(['toxiproxy-server']);
/** StreamPark's: 30 s to connect; a short read timeout keeps the test short. */
const TIMEOUTS = { connectTimeoutMs: 30_000, responseTimeoutMs: 1_500 };

describe.skipIf(missing !== undefined)('the connect phase behind Toxiproxy (issue 21 item 5)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'statuschaos-connect-phase-'));
  let upstream: Server;
  let server: ToxiproxyServer;
  let proxies: ProxySet;
  let url = '';

  beforeAll(async () => {
    upstream = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"jobs":[]}'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    server = await startToxiproxyServer({ binary: join(toolsBinDir, 'toxiproxy-server'), logFile: join(scratch, 'toxiproxy.log') });
    proxies = await createProxySet({ apiUrl: server.url, upstreams: { 'flink-rest': `127.0.0.1:${(upstream.address() as { port: number }).port}` } });
    url = `http://${proxies.endpoint('flink-rest').listen}/jobs/overview`;
  }, 30_000);

  afterAll(async () => {
    await proxies?.deleteAll();
    await server?.stop();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The TCP handshake alone: ms until `connect`, or the error code. */
  function handshake(port: number): Promise<{ outcome: string; ms: number }> {
    const started = performance.now();
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        resolve({ outcome: 'connected', ms: performance.now() - started });
        socket.destroy();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve({ outcome: error.code ?? error.message, ms: performance.now() - started }));
    });
  }

  /** One call with StreamPark's connect timeout — the GET keeps the connection alive as httpclient5 does, the cancel's client says `Connection: close` — its outcome and wall ms. */
  async function get(target: string, keepAlive = true): Promise<{ outcome: string; message: string; ms: number }> {
    const started = performance.now();
    try {
      await httpCall('fetchJobsOverview', 'GET', target, TIMEOUTS, { keepAlive });
      return { outcome: 'ok', message: '', ms: performance.now() - started };
    } catch (error) {
      return { outcome: error instanceof PortError ? error.kind : String(error), message: error instanceof Error ? error.message : '', ms: performance.now() - started };
    }
  }

  async function withFault<T>(spec: FaultSpec, run: () => Promise<T>): Promise<T> {
    const handle = await proxies.applyFault(spec, { name: 'measured', timeScale: 1 });
    try {
      return await run();
    } finally {
      await proxies.removeFault(handle);
    }
  }

  test('a `timeout` toxic (every byte dropped): the handshake completes at once, the call ends on the read timeout', { timeout: 30_000 }, async () => {
    const spec: FaultSpec = { target: 'flink-rest', toxic: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } };
    const { shake, call } = await withFault(spec, async () => ({ shake: await handshake(proxies.endpoint('flink-rest').port), call: await get(url) }));
    expect(shake.outcome).toBe('connected');
    expect(shake.ms).toBeLessThan(TIMEOUTS.connectTimeoutMs / 10);
    expect(call.outcome).toBe('timeout');
    expect(call.message).toMatch(/no data for/); // the read timeout, not `no connection within`
    expect(call.ms).toBeGreaterThanOrEqual(TIMEOUTS.responseTimeoutMs - 50);
  });

  test('the same toxic with a client that says `Connection: close` (Flink’s RestClient, the cancel): the server’s close passes at once', { timeout: 30_000 }, async () => {
    const spec: FaultSpec = { target: 'flink-rest', toxic: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } };
    const call = await withFault(spec, () => get(url, false));
    expect(['closed', 'reset']).toContain(call.outcome);
    expect(call.ms).toBeLessThan(TIMEOUTS.responseTimeoutMs);
  });

  test('a disabled proxy (`down`): refused at once', { timeout: 30_000 }, async () => {
    const spec: FaultSpec = { target: 'flink-rest', toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {} };
    const { shake, call } = await withFault(spec, async () => ({ shake: await handshake(proxies.endpoint('flink-rest').port), call: await get(url) }));
    expect(shake.outcome).toBe('ECONNREFUSED');
    expect(call.outcome).toBe('refused');
    expect(call.ms).toBeLessThan(TIMEOUTS.responseTimeoutMs);
  });

  test('a port nothing listens on (a JobManager that is down, no proxy between): refused at once', { timeout: 30_000 }, async () => {
    const port = await freeLocalPort();
    const shake = await handshake(port);
    const call = await get(`http://127.0.0.1:${port}/jobs/overview`);
    expect(shake.outcome).toBe('ECONNREFUSED');
    expect(call.outcome).toBe('refused');
    expect(call.ms).toBeLessThan(TIMEOUTS.responseTimeoutMs);
  });
});
