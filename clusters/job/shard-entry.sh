#!/bin/sh
# The entry command of a pod of the statuschaos Indexed Job (clusters/job/README.md): runs
# `statuschaos <args> --shard <JOB_COMPLETION_INDEX + 1>/<STATUSCHAOS_SHARDS>` into a folder of
# its own on the shared volume, then renames it to `<STATUSCHAOS_RESULTS>/shard-<k>`: a shard
# folder exists only once its run is complete, and a pod that is retried starts afresh in a new
# folder (the partial one stays for inspection). Exit codes: statuschaos's, except that 1 (an
# expectation failed) is a finished shard, so 0: the merge step gives the verdict.
set -eu

index="${JOB_COMPLETION_INDEX:?is set by Kubernetes in the pods of an Indexed Job}"
shards="${STATUSCHAOS_SHARDS:?must be the completions of the Job}"
results="${STATUSCHAOS_RESULTS:?must be the folder of the outputs of this Job on the shared volume}"
# shards count from 1 (--shard 1/n … n/n), completion indexes from 0
shard=$((index + 1))
final="$results/shard-$shard"
if [ -e "$final" ]; then
  echo "statuschaos: $final exists already: shard $shard/$shards is done (remove it, or render the Job with a new --name)" >&2
  exit 2
fi
mkdir -p "$results"
partial="$results/.shard-$shard.$(date +%s).$$.partial"

# --single-threaded-gc: V8's GC helper threads would compete with the worker threads for the
# pod's CPUs (docs/scaling.md). This shell is the container's PID 1, which gets the pod's SIGTERM:
# pass it on, so statuschaos stops and cleans up, and wait until it has.
node --single-threaded-gc "$(dirname "$0")/../../bin/statuschaos.js" "$@" --shard "$shard/$shards" --out "$partial" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT
while :; do
  wait "$child" && status=0 || status=$?
  kill -0 "$child" 2>/dev/null || break # still running: the wait was cut short by the signal
done
if [ "$status" -gt 1 ]; then
  exit "$status"
fi
mv "$partial" "$final"
echo "statuschaos: shard $shard/$shards → $final"
