/**
 * After an etcd fault the API server reads again only once etcd's client has a working connection
 * (measured on the local backend: test/fixtures/etcd-faults/measured.json; docs/toxics.md). These
 * wall-clock constants of gRPC and etcd's client are what the simulation draws from
 * (backends/sim/etcd.ts), and what "settled" waits for (types.ts).
 */

/**
 * After a toxic that held the connection closes it on removal (timeout): until reads are served
 * again, wall ms (measured: 31–324 ms after outages of 1.5–15 s; 4.7 s and 6.0 s after two
 * minutes). The client's keepalive (30 s, then 10 s for the answer) gives up on a connection
 * that stays silent for 40 s, and from then on its new connections hang in the blackhole too.
 */
export const RECONNECT_AFTER_CLOSE = { quickWallMs: 300, keepaliveWallMs: 40_000, afterKeepaliveWallMs: 5_000 } as const;

/** gRPC's connection back-off (grpc-go defaults, which etcd's client keeps): first retry after 1 s, ×1.6 each time, ±20 % jitter, at most 120 s. */
export const RECONNECT_BACKOFF = { firstMs: 1_000, multiplier: 1.6, jitter: 0.2, maxMs: 120_000 } as const;

/**
 * The longest etcd's client can take after an outage of `outageWallMs` to reach etcd again, wall
 * ms: after a held connection closes, RECONNECT_AFTER_CLOSE; after refused or reset connections,
 * the next attempt on its back-off — at most the interval after as many attempts as could have
 * been made meanwhile (each as early as the jitter allows), at its widest. The simulation draws
 * within these bounds (sim/etcd.ts); "settled" waits for the worst of them.
 */
export function longestEtcdReconnectWallMs(outageWallMs: number): number {
  const { firstMs, multiplier, jitter, maxMs } = RECONNECT_BACKOFF;
  let attempts = 0;
  let at = 0;
  for (let interval: number = firstMs; at + interval * (1 - jitter) < outageWallMs; interval = Math.min(interval * multiplier, maxMs)) {
    at += interval * (1 - jitter);
    attempts += 1;
  }
  const nextInterval = Math.min(firstMs * multiplier ** attempts, maxMs) * (1 + jitter);
  return Math.ceil(Math.max(nextInterval, RECONNECT_AFTER_CLOSE.afterKeepaliveWallMs));
}
