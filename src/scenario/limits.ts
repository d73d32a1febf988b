/**
 * Every limit on what the harness accepts, in one place (docs/limits.md lists them with their
 * reasons). Each is far above what the scenario library and the explorer's schedules use, and
 * low enough that the largest input allowed runs in seconds with bounded memory; beyond one,
 * the input is refused with exit 2 before anything runs.
 */

export const LIMITS = {
  /** bytes of one scenario file (the library's largest is under 3 KB) */
  scenarioFileBytes: 256 * 1024,
  /** scenario files in one command (folders expanded) */
  scenarioFiles: 1_000,
  /** folder levels under a folder given on the command line */
  folderDepth: 16,
  /** nesting of YAML collections in a scenario file (a scenario needs 5) */
  yamlDepth: 32,
  /** YAML alias expansions per file (the `yaml` package's guard against alias bombs) */
  yamlAliases: 100,
  /** entries in a scenario's timeline (the explorer writes at most 12) */
  timelineEntries: 50,
  /** steps of `app.recovery` */
  recoverySteps: 20,
  /** scenario time of one scenario (the library's longest is 8 min; the explorer's runs last until every stop can be judged: about 10 min at most, never beyond this) */
  durationMs: 60 * 60_000,
  /** jobs of a session cluster (library: 2, explorer: 4); each adds polls to every variant */
  jobs: 8,
  /** app.console.cpus: a console host's cores */
  consoleCpus: 256,
  /** left-over JobManager pods beside the running one (app.pods) */
  extraPods: 8,
  /** the shortest timing override: a shorter poll interval multiplies the simulation's work */
  minTimingMs: 1_000,
  /** characters of a scenario or job name */
  nameChars: 100,
  /** characters of a description */
  descriptionChars: 4_000,
  /** characters of other text: labels, reasons, trace patterns */
  textChars: 500,
  /** the largest toxic attribute (Toxiproxy's attributes are integers; ms, µs, KB/s or bytes) */
  attributeMax: 2 ** 31 - 1,
  /** `--repeat` */
  repeat: 1_000_000,
  /** `--shard i/n` and `job render --shards`: n (an Indexed Job of 10 000 pods is far beyond any run here) */
  shards: 10_000,
  /** `job render --workers`: threads per pod, and the CPUs it requests */
  podWorkers: 64,
  /** `explore --runs`: the explorer's seed space, 2^18 batches of 32 schedules */
  exploreSchedules: 2 ** 18 * 32,
  /** `explore --budget`: a week of wall time */
  budgetMs: 7 * 24 * 3_600_000,
  /** `explore --confirm-runs`: live runs per finding */
  confirmRuns: 100,
  /** seeds are 32-bit: the simulation's generator takes exactly 32 bits */
  seedMax: 2 ** 32 - 1,
  /** run.json of a stored run */
  runFileBytes: 1024 * 1024,
  /** one line of results.jsonl */
  resultsLineBytes: 4 * 1024 * 1024,
  /** one runs/<id>.json (the largest run allowed writes about 13 MB) */
  lanesFileBytes: 64 * 1024 * 1024,
} as const;

/** Bytes in a human unit for messages: 262144 → `256 KiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** A size beside the limit it broke, never shown as equal to it: 262145 beside 256 KiB → `262,145 bytes`. */
export function formatSizeOver(bytes: number, limit: number): string {
  return formatBytes(bytes) === formatBytes(limit) ? `${bytes.toLocaleString('en-US')} bytes` : formatBytes(bytes);
}
