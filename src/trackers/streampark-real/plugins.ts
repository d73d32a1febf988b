/**
 * StreamPark's own code as trackers: `real-2.1.3` and `real-2.1.4` run StreamPark's console
 * classes (FlinkK8sWatcherWrapper, FlinkK8sChangeEventListener, the watcher behind them) in a
 * JVM, through our driver (driver/, built by `npm run tools`), as a process speaking the tracker
 * protocol. The classpath is a StreamPark installation's `lib/` (`--streampark-home`) or what
 * `npm run tools` resolved from ../shared/systems/streampark/maven and Maven Central.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultToolsDir } from '../../tool.ts';
import { streamParkTimeouts } from '../../models/registry.ts';
import { STREAMPARK } from '../../systems/streampark.ts';
import { processTracker } from '../process/process-tracker.ts';
import type { TrackerPlugin } from '../tracker.ts';
import { consoleClasspath } from './classpath.ts';

/** What `npm run tools` installed for a version: `<tools>/streampark/<version>/launch.json` (scripts/tools/streampark.mjs, docs/streampark-real.md). */
interface DriverLaunch {
  mainClass: string;
  args: string[];
  driverJar: string;
  jvmOptions: string[];
  env: Record<string, string>;
  /** the driver jar, then the resolved jars in the console's order */
  classpath: string[];
}

const launchFile = (version: string, env: NodeJS.ProcessEnv) => join(defaultToolsDir(env), 'streampark', version, 'launch.json');

/** The lib/ of the StreamPark installation `--streampark-home` names, if any. */
function homeLib(env: NodeJS.ProcessEnv): string | undefined {
  const home = env.STATUSCHAOS_STREAMPARK_HOME;
  return home !== undefined && home !== '' ? join(resolve(home), 'lib') : undefined;
}

function missing(version: string, env: NodeJS.ProcessEnv): string | undefined {
  const file = launchFile(version, env);
  if (!existsSync(file)) return `StreamPark ${version}'s driver is not built (${file}): run \`npm run tools\` (it needs a JDK 17, Maven and ../shared/systems/streampark/maven)`;
  const lib = homeLib(env);
  if (lib !== undefined && (!existsSync(lib) || !readdirSync(lib).some((file) => file.endsWith('.jar')))) return `no StreamPark ${version} jars in ${lib}: give --streampark-home the folder of a StreamPark ${version} installation`;
  return undefined;
}

/**
 * The driver's command line: launch.json's, with the classpath from --streampark-home's lib/ when
 * given (the same order rule), and the temp folder in the tracker's own folder (StreamPark writes
 * failed pods' logs there).
 */
export function driverCommand(version: string, env: NodeJS.ProcessEnv, workDir: string): { file: string; args: string[]; env: Record<string, string> } {
  const launch = JSON.parse(readFileSync(launchFile(version, env), 'utf8')) as DriverLaunch;
  const lib = homeLib(env);
  const classpath = lib === undefined ? launch.classpath : [launch.driverJar, ...consoleClasspath(readdirSync(lib)).map((jar) => join(lib, jar))];
  const java = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  return { file: java, args: [...launch.jvmOptions, `-Djava.io.tmpdir=${join(workDir, 'tmp')}`, '-cp', classpath.join(':'), launch.mainClass, ...launch.args], env: launch.env };
}

function realStreamPark(version: '2.1.3' | '2.1.4', role: 'buggy' | 'fixed'): TrackerPlugin {
  return {
    name: `real-${version}`,
    system: STREAMPARK.name,
    role,
    description: `StreamPark ${version}'s own console classes in a JVM (docs/streampark-real.md)`,
    kind: 'process',
    // a cluster of the harness's own, whose `-rest` Service leads through the flink-rest proxy (docs/trackers.md)
    backends: ['local', 'kind'],
    counterpart: `v${version}`,
    byDefault: false,
    // its timeouts and grace windows are StreamPark's constants: they do not scale
    profiles: ['streampark'],
    // StreamPark's own clients (fabric8, Flink's RestClusterClient): the models' timeouts
    callTimeouts: streamParkTimeouts,
    unavailable: (env) => missing(version, env),
    start: processTracker({
      states: STREAMPARK.states,
      command: (context) => driverCommand(version, context.env, context.workDir),
    }),
  };
}

export const REAL_STREAMPARK_TRACKERS: readonly TrackerPlugin[] = [realStreamPark('2.1.3', 'buggy'), realStreamPark('2.1.4', 'fixed')];
