/**
 * StreamPark's own code as trackers: `real-2.1.3` and `real-2.1.4` run StreamPark's console
 * classes (FlinkK8sWatcherWrapper, FlinkK8sChangeEventListener, the watcher behind them) in a
 * JVM, through our driver (driver/, built by `npm run tools`), as a process speaking the tracker
 * protocol. The classpath is a StreamPark installation's `lib/` (`--streampark-home`) or what
 * `npm run tools` resolved from ../shared/systems/streampark/maven and Maven Central.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultToolsDir } from '../../tool.ts';
import { STREAMPARK } from '../../systems/streampark.ts';
import { processTracker } from '../process/process-tracker.ts';
import type { TrackerPlugin } from '../tracker.ts';

/** The class the driver starts in (driver/src). */
const DRIVER_MAIN = 'org.statuschaos.streampark.Driver';

interface Installed {
  /** the jars StreamPark runs with */
  lib: string;
  /** our driver, compiled against them */
  driverJar: string;
}

/** Where a version's classpath and driver are: `<tools>/streampark/<version>/`, or a StreamPark home's lib/ with our driver for that version. */
function installed(version: string, env: NodeJS.ProcessEnv): Installed {
  const built = join(defaultToolsDir(env), 'streampark', version);
  const home = env.STATUSCHAOS_STREAMPARK_HOME;
  return { lib: home !== undefined && home !== '' ? join(resolve(home), 'lib') : join(built, 'lib'), driverJar: join(built, 'driver.jar') };
}

function missing(version: string, env: NodeJS.ProcessEnv): string | undefined {
  const { lib, driverJar } = installed(version, env);
  if (!existsSync(driverJar)) return `StreamPark ${version}'s driver is not built (${driverJar}): run \`npm run tools\` (it needs a JDK 17 and Maven)`;
  if (!existsSync(lib) || !readdirSync(lib).some((file) => file.endsWith('.jar'))) return `no StreamPark ${version} jars in ${lib}: run \`npm run tools\`, or give --streampark-home the folder of a StreamPark ${version} installation`;
  return undefined;
}

function realStreamPark(version: '2.1.3' | '2.1.4', role: 'buggy' | 'fixed'): TrackerPlugin {
  return {
    name: `real-${version}`,
    system: STREAMPARK.name,
    role,
    description: `StreamPark ${version}'s own console classes in a JVM (docs/trackers.md)`,
    kind: 'process',
    backends: ['local', 'kind', 'kubeconfig'],
    counterpart: `v${version}`,
    byDefault: false,
    // its timeouts and grace windows are StreamPark's constants: they do not scale
    profiles: ['streampark'],
    unavailable: (env) => missing(version, env),
    start: processTracker({
      states: STREAMPARK.states,
      command: (context) => {
        const { lib, driverJar } = installed(version, context.env);
        const java = context.env.JAVA_HOME ? join(context.env.JAVA_HOME, 'bin', 'java') : 'java';
        return { file: java, args: ['-Xmx256m', '-XX:+UseSerialGC', `-Dlogback.configurationFile=${join(resolve(driverJar, '..'), 'logback.xml')}`, '-cp', `${driverJar}:${lib}/*`, DRIVER_MAIN, version] };
      },
    }),
  };
}

export const REAL_STREAMPARK_TRACKERS: readonly TrackerPlugin[] = [realStreamPark('2.1.3', 'buggy'), realStreamPark('2.1.4', 'fixed')];
