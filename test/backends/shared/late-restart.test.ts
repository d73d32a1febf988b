// A restart during an etcd fault is recorded once the API server reaches etcd again: the request
// is sent until it succeeds, beside the timeline, and the session's close waits for it (bounded).
import { describe, expect, test } from 'vitest';
import { LateRestarts } from '../../../src/backends/shared/late-restart.ts';

describe('LateRestarts', () => {
  test('a request that fails (the API server without etcd: 504) is sent again until it is recorded', async () => {
    const progress: string[] = [];
    const late = new LateRestarts((message) => progress.push(message));
    let attempts = 0;
    late.request('restart', async () => {
      if (++attempts < 3) throw new Error('HTTP 504');
    }, 60_000);
    while (progress.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(3);
    expect(progress).toEqual(['restart: recorded after 3 attempt(s)']);
    await late.stop(1_000);
  });

  test('it gives up after its bound, and says so', async () => {
    const progress: string[] = [];
    const late = new LateRestarts((message) => progress.push(message));
    late.request('restart', async () => Promise.reject(new Error('HTTP 504')), 0);
    while (progress.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(progress).toEqual(['restart: not recorded after 1 attempt(s): HTTP 504']);
    await late.stop(1_000);
  });

  test('stop: no further attempt; it waits for the one in flight, at most its bound', async () => {
    const late = new LateRestarts(() => {});
    let attempts = 0;
    let release = () => {};
    late.request('restart', () => {
      attempts += 1;
      return new Promise<void>((resolve) => (release = resolve));
    }, 60_000);
    const began = performance.now();
    await late.stop(100); // the held request has not answered: stop returns after its bound
    expect(performance.now() - began).toBeGreaterThanOrEqual(90);
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(attempts).toBe(1);
  });
});
