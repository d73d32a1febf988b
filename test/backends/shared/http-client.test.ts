// The live REST client's response timeout is a read timeout, like httpclient5's responseTimeout
// (the socket timeout): an answer that trickles in longer than the limit, but never falls silent
// for as long, arrives; an answer that does not come in time fails. Real sockets and timers: the
// margins (a piece every 100 ms against a 1.5 s read timeout) leave room for a loaded machine to
// stall this process for more than a second without changing the outcome.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { httpCall, withHttpclient5Retries } from '../../../src/backends/shared/http-client.ts';
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

describe('withHttpclient5Retries (httpclient5 5.1.4 DefaultHttpRequestRetryStrategy through HttpRequestRetryExec)', () => {
  /** A scripted attempt sequence; sleeps are recorded, not waited. */
  function scripted(outcomes: (PortError | string)[], options: { statusRetryIntervalMs?: number | undefined; responseTimeoutMs?: number } = {}) {
    const statusRetryIntervalMs = 'statusRetryIntervalMs' in options ? options.statusRetryIntervalMs : 1_000;
    const responseTimeoutMs = options.responseTimeoutMs ?? 60_000;
    const slept: number[] = [];
    let made = 0;
    const run = withHttpclient5Retries(
      async () => {
        const outcome = outcomes[made++] ?? expect.unreachable('more attempts than scripted');
        if (outcome instanceof PortError) throw outcome;
        return outcome;
      },
      { statusRetryIntervalMs, responseTimeoutMs, sleep: async (ms) => void slept.push(ms) },
    ).catch((thrown: unknown) => thrown);
    return run.then((result) => ({ result, made: () => made, slept }));
  }
  const failure = (kind: PortError['kind'], message = 'scripted') => new PortError('fetchJobsOverview', kind, message);

  test.for([
    { kind: 'closed', attempts: 2 },
    { kind: 'reset', attempts: 2 },
    { kind: 'refused', attempts: 1 },
    { kind: 'timeout', attempts: 1 },
  ] as const)('$kind: $attempts attempt(s), no wait', async ({ kind, attempts }) => {
    const { result, made, slept } = await scripted([failure(kind), failure(kind)]);
    expect(result).toBeInstanceOf(PortError);
    expect({ made: made(), slept }).toEqual({ made: attempts, slept: [] });
  });

  test.for([
    { status: 503, attempts: 2, slept: [1_000] },
    { status: 429, attempts: 2, slept: [1_000] },
    { status: 404, attempts: 1, slept: [] },
    { status: 500, attempts: 1, slept: [] },
    { status: 502, attempts: 1, slept: [] },
  ])('HTTP $status: $attempts attempt(s), waits $slept', async ({ status, attempts, slept: expected }) => {
    const { made, slept } = await scripted([failure('http', `HTTP ${status}: x`), failure('http', `HTTP ${status}: x`)]);
    expect({ made: made(), slept }).toEqual({ made: attempts, slept: expected });
  });

  test('a 503 then an answer: the answer, after the interval', async () => {
    const { result, slept } = await scripted([failure('http', 'HTTP 503: leader election'), 'answer']);
    expect({ result, slept }).toEqual({ result: 'answer', slept: [1_000] });
  });

  test('one retry in all: a dropped connection then a 503, or a 503 then a dropped connection, is not sent a third time', async () => {
    for (const outcomes of [[failure('closed'), failure('http', 'HTTP 503: x'), 'never'], [failure('http', 'HTTP 503: x'), failure('reset'), 'never']]) {
      const { result, made } = await scripted(outcomes);
      expect(result).toBeInstanceOf(PortError);
      expect(made()).toBe(2);
    }
  });

  test('no retry of a status when the caller does not ask for one, or when the wait is longer than the response timeout', async () => {
    expect((await scripted([failure('http', 'HTTP 503: x')], { statusRetryIntervalMs: undefined })).made()).toBe(1);
    expect((await scripted([failure('http', 'HTTP 503: x')], { responseTimeoutMs: 999 })).made()).toBe(1);
    expect((await scripted([failure('http', 'HTTP 503: x'), 'answer'], { responseTimeoutMs: 1_000 })).made()).toBe(2);
  });
});
