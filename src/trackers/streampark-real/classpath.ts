/**
 * The real StreamPark trackers' classpath, one rule for the jars `npm run tools` resolved
 * (scripts/tools/streampark.mjs) and for a StreamPark installation's lib/ (`--streampark-home`).
 */

/**
 * The console's jars in classpath order, as StreamPark's streampark.sh lists them: every `*.jar`
 * of the folder in name order, but the Flink shims (FlinkShimsProxy loads those, never the
 * classpath).
 */
export function consoleClasspath(jarNames: readonly string[]): string[] {
  return jarNames.filter((name) => name.endsWith('.jar') && !/^streampark-flink-shims_.*\.jar$/.test(name)).sort();
}
