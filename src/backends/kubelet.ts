/**
 * What a kubelet does to a container that keeps crashing, which the simulation reproduces and
 * the live backends ask kwok for: it restarts it after a back-off that starts at 10 s and doubles
 * up to 5 minutes (Kubernetes' documented CrashLoopBackOff), the container waiting in
 * `CrashLoopBackOff` meanwhile and never ready.
 */

const FIRST_BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 300_000;

/** When a crash-looping container crashes, in ms after its first crash (0 included), up to `untilMs`. */
export function crashLoopCrashes(untilMs: number): number[] {
  const crashes = [0];
  let backoff = FIRST_BACKOFF_MS;
  for (let at = backoff; at <= untilMs; at += backoff) {
    crashes.push(at);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
  return crashes;
}
