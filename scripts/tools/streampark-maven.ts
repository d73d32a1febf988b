/** Where the real StreamPark driver's build (scripts/tools/streampark.mjs) finds StreamPark's module jars. */
import { join, resolve } from 'node:path';

/** STATUSCHAOS_STREAMPARK_MAVEN, or ../shared/systems/streampark/maven beside the clone. */
export function streamparkMavenDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.STATUSCHAOS_STREAMPARK_MAVEN ?? join(repoRoot, '..', 'shared', 'systems', 'streampark', 'maven'));
}
