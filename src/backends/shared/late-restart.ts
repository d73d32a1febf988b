/**
 * A container restart while etcd is away (issue 21 item 4). The container stops and starts again
 * on its node on time — the session's Flink side does that at once — but what the API shows of it
 * is the kubelet's status update, which the API server can record only once it reaches etcd
 * again. On a live control plane the harness asks kwok for the restart by writing the pod's
 * restart annotations (kwok-restart.ts), a write that waits for etcd just like the kubelet's: the
 * API server holds it (for at most its 60 s request timeout, then 504) and the harness sends it
 * again until it is recorded. The restart's end is the wall time it was due, so a request
 * recorded after it shows the restart and the ready container together, as a kubelet reports
 * them after an outage. The timeline goes on meanwhile: the request runs beside it.
 */

/** Wall ms between two attempts to record the request (the kubelet's status sync period is 10 s; a held request answers when etcd does). */
const RETRY_MS = 1_000;

export class LateRestarts {
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;
  private readonly onProgress: (message: string) => void;

  constructor(onProgress: (message: string) => void) {
    this.onProgress = onProgress;
  }

  /** Send `record` until it succeeds, the session stops, or `giveUpAfterMs` (wall) have passed. */
  request(what: string, record: () => Promise<void>, giveUpAfterMs: number): void {
    const deadline = performance.now() + giveUpAfterMs;
    const attempt = (async () => {
      for (let tries = 1; !this.stopped; tries++) {
        try {
          await record();
          this.onProgress(`${what}: recorded after ${tries} attempt(s)`);
          return;
        } catch (error) {
          if (performance.now() > deadline) {
            this.onProgress(`${what}: not recorded after ${tries} attempt(s): ${error instanceof Error ? error.message : String(error)}`);
            return;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    })();
    this.pending.add(attempt);
    void attempt.finally(() => this.pending.delete(attempt));
  }

  /** No new attempt from now on; wait (at most `waitMs` wall) for the ones in flight, which end once etcd answers. */
  async stop(waitMs: number): Promise<void> {
    this.stopped = true;
    if (this.pending.size === 0) return;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  }
}
