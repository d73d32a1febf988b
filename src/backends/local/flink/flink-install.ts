/**
 * The real Flink that `npm run tools` installed (scripts/tools/flink.mjs): `<tools>/flink` with
 * `lib/` (the cluster's jars), `usrlib/` (the test job), `conf/` (flink-conf.yaml, log4j) and
 * `jvm-params.json` (the JVM sizing Flink's scripts compute, and the job's class).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError } from '../../backend.ts';
import { defaultToolsDir } from '../../shared/tools-dir.ts';

export interface FlinkJvmParams {
  jvm: string[];
  dynamic: string[];
}

export interface FlinkInstall {
  /** `<tools>/flink`: the JVMs run here, so that Flink's `file:usrlib/…` job-jar URL resolves */
  home: string;
  libDir: string;
  confDir: string;
  /** e.g. 1.18.1 */
  version: string;
  jobClass: string;
  /** the java launcher (JAVA_HOME's, else `java` on PATH) */
  java: string;
  jobmanager: FlinkJvmParams;
  taskmanager: FlinkJvmParams;
}

interface Manifest {
  flink: string;
  jobClass: string;
  jobmanager: FlinkJvmParams;
  taskmanager: FlinkJvmParams;
}

/** The installed Flink, or a BackendError saying how to build it. */
export function loadFlinkInstall(env: NodeJS.ProcessEnv): FlinkInstall {
  const home = join(defaultToolsDir(env), 'flink');
  const manifestPath = join(home, 'jvm-params.json');
  if (!existsSync(manifestPath) || !existsSync(join(home, 'usrlib'))) {
    throw new BackendError(`real Flink is not installed in ${home}`, { hint: 'build it with `npm run tools` (needs a JDK 17 and Maven)' });
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  return {
    home,
    libDir: join(home, 'lib'),
    confDir: join(home, 'conf'),
    version: manifest.flink,
    jobClass: manifest.jobClass,
    java: env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java',
    jobmanager: manifest.jobmanager,
    taskmanager: manifest.taskmanager,
  };
}
