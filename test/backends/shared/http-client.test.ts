// The live REST client's response timeout is a read timeout, like httpclient5's responseTimeout
// (the socket timeout): an answer that trickles in longer than the limit, but never falls silent
// for as long, arrives; an answer that does not come in time fails. Real sockets and timers: the
// margins (a piece every 100 ms against a 1.5 s read timeout) leave room for a loaded machine to
// stall this process for more than a second without changing the outcome.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { httpCall, withOneRetryOnDroppedConnection } from '../../../src/backends/shared/http-client.ts';
import { PortError } from '../../../src/models/ports.ts';

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/trickle') {
      // twenty pieces 100 ms apart: 1.9 s in all, longer than the 1.5 s read timeout, never that silent
      response.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const timer = setInterval(() => {
        response.write('x');
        if (++sent === 20) {
          clearInterval(timer);
          response.end();
        }
      }, 100);
      return;
    }
    // /silent: never answers (the test's timeout closes it)
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpCall timeouts', () => {
  test('an answer trickling in for longer than the response timeout, never silent that long, arrives', async () => {
    await expect(httpCall('trickle', 'GET', `${base}/trickle`, { connectTimeoutMs: 10_000, responseTimeoutMs: 1_500 })).resolves.toEqual({ status: 200, body: 'x'.repeat(20) });
  });

  test('no answer within the response timeout: a timeout', async () => {
    const error = await httpCall('silent', 'GET', `${base}/silent`, { connectTimeoutMs: 10_000, responseTimeoutMs: 200 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PortError);
    expect((error as PortError).kind).toBe('timeout');
  });
});

describe('withOneRetryOnDroppedConnection (httpclient5 5.1 DefaultHttpRequestRetryStrategy)', () => {
  test.for([
    { kind: 'closed', attempts: 2 },
    { kind: 'reset', attempts: 2 },
    { kind: 'refused', attempts: 1 },
    { kind: 'timeout', attempts: 1 },
    { kind: 'http', attempts: 1 },
  ] as const)('$kind: $attempts attempt(s)', async ({ kind, attempts }) => {
    let made = 0;
    const error = await withOneRetryOnDroppedConnection(async () => {
      made += 1;
      throw new PortError('fetchJobsOverview', kind, 'scripted');
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PortError);
    expect(made).toBe(attempts);
  });

  test('a retry that succeeds gives its answer', async () => {
    let made = 0;
    await expect(withOneRetryOnDroppedConnection(async () => (made++ === 0 ? Promise.reject(new PortError('f', 'closed', 'x')) : 'answer'))).resolves.toBe('answer');
  });
});
