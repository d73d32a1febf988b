/**
 * Pure helpers of the real-Flink build (scripts/tools/flink.mjs): reading `java -version`, and
 * the JVM sizing that Flink's own start scripts take from `BashJavaUtils` (heap, metaspace,
 * direct memory, and the matching `-D` options), so the harness starts the JVMs as
 * `standalone-job.sh` and `taskmanager.sh` would.
 */

/** The JVM flags and dynamic `-D` options of one Flink process, as BashJavaUtils computed them. */
export interface FlinkJvmParams {
  jvm: string[];
  dynamic: string[];
}

/** Java versions Flink 1.18 supports (8 lacks the module flags the harness passes). */
export const SUPPORTED_JAVA = [11, 17] as const;

/** The feature version in `java -version` output (`openjdk version "17.0.15"` → 17, `"1.8.0_392"` → 8). */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

const RESULT_PREFIX = 'BASH_JAVA_UTILS_EXEC_RESULT:';

/**
 * The two result lines of `BashJavaUtils GET_JM_RESOURCE_PARAMS|GET_TM_RESOURCE_PARAMS`: JVM
 * flags, then `-D key=value` options (Flink's scripts split both on spaces, so do we).
 */
export function parseBashJavaUtils(output: string): FlinkJvmParams {
  const results = output
    .split('\n')
    .filter((line) => line.startsWith(RESULT_PREFIX))
    .map((line) => line.slice(RESULT_PREFIX.length).trim());
  if (results.length < 1 || results[0] === '') throw new Error(`BashJavaUtils printed no ${RESULT_PREFIX} line:\n${output.trim().split('\n').slice(-10).join('\n')}`);
  const words = (line: string | undefined) => (line ?? '').split(/\s+/).filter(Boolean);
  return { jvm: words(results[0]), dynamic: words(results[1]) };
}
