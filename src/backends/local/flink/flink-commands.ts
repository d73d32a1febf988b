/**
 * Command lines of a real Flink application cluster's processes, as pure functions, so every flag
 * is in one place. They are what Flink's container image runs for `standalone-job` and
 * `taskmanager` (docker-entrypoint → standalone-job.sh / taskmanager.sh → flink-console.sh):
 * `StandaloneApplicationClusterEntryPoint` with the job class, `TaskManagerRunner`, each with the
 * JVM sizing of BashJavaUtils and the module flags of Flink's default `env.java.opts.all`.
 */
import { ARCHIVE_SUBFOLDER } from '../../flink/archive-file.ts';
import { join } from 'node:path';
import type { FlinkInstall } from './flink-install.ts';

/** Java 17 needs these for Flink 1.18 (its default flink-conf.yaml's `env.java.opts.all`). */
export const JAVA_MODULE_FLAGS: readonly string[] = [
  ...['java.base/sun.net.util', 'java.rmi/sun.rmi.registry', 'java.security.jgss/sun.security.krb5'].map((name) => `--add-exports=${name}=ALL-UNNAMED`),
  ...['lang', 'net', 'io', 'nio', 'lang.reflect', 'text', 'time', 'util', 'util.concurrent', 'util.concurrent.atomic', 'util.concurrent.locks'].map((name) => `--add-opens=java.base/java.${name}=ALL-UNNAMED`),
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
];

export const ENTRYPOINT_CLASS = 'org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint';
export const TASKMANAGER_CLASS = 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner';
export const ZOOKEEPER_CLASS = 'org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.server.ZooKeeperServerMain';

/** One cluster's place on this machine: its ports and its folder (all its files live there). */
export interface ClusterLayout {
  /** the cluster's folder: conf/, tmp/, work/, archive/, triggers/, ha/, zookeeper/ */
  dir: string;
  logsDir: string;
  restPort: number;
  /** distinct per cluster: a TaskManager left from another cluster on the same port would register with this one */
  rpcPort: number;
  /** undefined without HA */
  zooKeeperPort: number | undefined;
  /** the job's name in Flink (the scenario's job) */
  jobName: string;
  /** HA cluster id (Flink derives the HA job id from it) */
  clusterId: string;
  /** the job id StreamPark fixes at submit (app.fixedJobId), kept across JobManager restarts; undefined: Flink draws one at every start */
  fixedJobId: string | undefined;
}

export interface ProcessCommand {
  file: string;
  args: string[];
  /** the JVM's own log file (log4j) */
  logFile: string;
}

export const clusterPaths = (layout: ClusterLayout) => ({
  conf: join(layout.dir, 'conf'),
  tmp: join(layout.dir, 'tmp'),
  work: join(layout.dir, 'work'),
  archive: join(layout.dir, ARCHIVE_SUBFOLDER),
  triggers: join(layout.dir, 'triggers'),
  ha: join(layout.dir, 'ha'),
  zooKeeperData: join(layout.dir, 'zookeeper'),
});

/** `-D key=value` options every process of the cluster shares: ports, folders, HA. */
export function clusterOptions(layout: ClusterLayout): string[] {
  const paths = clusterPaths(layout);
  const options: Record<string, string> = {
    'rest.port': String(layout.restPort),
    'jobmanager.rpc.port': String(layout.rpcPort),
    'io.tmp.dirs': paths.tmp,
    'web.tmpdir': join(paths.tmp, 'web'),
    'process.working-dir': paths.work,
    // the history archive StreamPark reads when the cluster is gone
    'jobmanager.archive.fs.dir': `file://${paths.archive}`,
  };
  if (layout.zooKeeperPort !== undefined) {
    Object.assign(options, {
      'high-availability.type': 'zookeeper',
      'high-availability.zookeeper.quorum': `127.0.0.1:${layout.zooKeeperPort}`,
      'high-availability.storageDir': `file://${paths.ha}`,
      'high-availability.cluster-id': layout.clusterId,
    });
  }
  return Object.entries(options).flatMap(([key, value]) => ['-D', `${key}=${value}`]);
}

/** JVM flags before the main class: sizing, module flags, logging, no files outside the cluster folder. */
function jvmFlags(layout: ClusterLayout, sizing: string[], logFile: string, classpath: string): string[] {
  const paths = clusterPaths(layout);
  return [
    ...sizing,
    ...JAVA_MODULE_FLAGS,
    '-XX:-UsePerfData', // no /tmp/hsperfdata_<user>
    `-Djava.io.tmpdir=${paths.tmp}`,
    `-Dlog.file=${logFile}`,
    `-Dlog4j.configurationFile=file:${join(paths.conf, 'log4j.properties')}`,
    '-cp',
    classpath,
  ];
}

/** The JobManager: an application cluster that runs the test job; without HA or a fixed job id it gets a new job id at every start. */
export function jobManagerCommand(install: FlinkInstall, layout: ClusterLayout): ProcessCommand {
  const logFile = join(layout.logsDir, 'flink-jobmanager.log');
  const paths = clusterPaths(layout);
  return {
    file: install.java,
    logFile,
    args: [
      ...jvmFlags(layout, install.jobmanager.jvm, logFile, join(install.libDir, '*')),
      ENTRYPOINT_CLASS,
      '--configDir',
      paths.conf,
      ...install.jobmanager.dynamic,
      ...clusterOptions(layout),
      ...(layout.fixedJobId === undefined ? [] : ['--job-id', layout.fixedJobId]),
      '--job-classname',
      install.jobClass,
      // what is left over goes to the job's main()
      '--triggers',
      paths.triggers,
      '--name',
      layout.jobName,
    ],
  };
}

/** One TaskManager with one slot. */
export function taskManagerCommand(install: FlinkInstall, layout: ClusterLayout): ProcessCommand {
  const logFile = join(layout.logsDir, 'flink-taskmanager.log');
  return {
    file: install.java,
    logFile,
    args: [...jvmFlags(layout, install.taskmanager.jvm, logFile, join(install.libDir, '*')), TASKMANAGER_CLASS, '--configDir', clusterPaths(layout).conf, ...install.taskmanager.dynamic, ...clusterOptions(layout)],
  };
}

/** ZooKeeper for HA: the server inside flink-shaded-zookeeper, which Flink's classpath already has (Flink 1.18 has no file-based HA). */
export function zooKeeperCommand(install: FlinkInstall, layout: ClusterLayout): ProcessCommand {
  if (layout.zooKeeperPort === undefined) throw new Error('zooKeeperCommand needs a ZooKeeper port (HA clusters only)');
  const logFile = join(layout.logsDir, 'flink-zookeeper.log');
  return {
    file: install.java,
    logFile,
    args: ['-Xmx128m', '-Dzookeeper.admin.enableServer=false', ...jvmFlags(layout, [], logFile, join(install.libDir, '*')), ZOOKEEPER_CLASS, String(layout.zooKeeperPort), clusterPaths(layout).zooKeeperData],
  };
}
