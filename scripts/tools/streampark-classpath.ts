/**
 * Pure helpers of the real StreamPark driver's build (scripts/tools/streampark.mjs): where
 * StreamPark's module jars are, and the console's classpath from a folder of jars.
 */
import { join, resolve } from 'node:path';

/** Where StreamPark's module jars are: STATUSCHAOS_STREAMPARK_MAVEN, or ../shared/systems/streampark/maven beside the clone. */
export function streamparkMavenDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.STATUSCHAOS_STREAMPARK_MAVEN ?? join(repoRoot, '..', 'shared', 'systems', 'streampark', 'maven'));
}

/**
 * The console's jars in classpath order, as StreamPark's streampark.sh lists them: every `*.jar`
 * of the folder in name order, but the Flink shims (FlinkShimsProxy loads those, never the
 * classpath). Used for the resolved jars and for `--streampark-home` alike.
 */
export function consoleClasspath(jarNames: readonly string[]): string[] {
  return jarNames.filter((name) => name.endsWith('.jar') && !/^streampark-flink-shims_.*\.jar$/.test(name)).sort();
}
