// The command lines of a real Flink cluster's JVMs (what `--flink real` starts), as pure functions.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { clusterOptions, ENTRYPOINT_CLASS, JAVA_MODULE_FLAGS, jobManagerCommand, TASKMANAGER_CLASS, taskManagerCommand, ZOOKEEPER_CLASS, zooKeeperCommand, type ClusterLayout } from '../../../../src/backends/local/flink/flink-commands.ts';
import type { FlinkInstall } from '../../../../src/backends/local/flink/flink-install.ts';
import { archivedState } from '../../../../src/backends/flink/archive-file.ts';

const install: FlinkInstall = {
  home: '/tools/flink',
  libDir: '/tools/flink/lib',
  confDir: '/tools/flink/conf',
  version: '1.18.1',
  jobClass: 'statuschaos.flink.TriggeredStreamingJob',
  java: 'java',
  jobmanager: { jvm: ['-Xmx300m'], dynamic: ['-D', 'jobmanager.memory.heap.size=300m'] },
  taskmanager: { jvm: ['-Xmx280m'], dynamic: ['-D', 'taskmanager.memory.task.heap.size=150m'] },
};
const layout = (ha: boolean, fixedJobId?: string): ClusterLayout => ({ dir: '/run/s/flink', logsDir: '/run/s/logs', restPort: 40001, rpcPort: 40002, zooKeeperPort: ha ? 40003 : undefined, jobName: 'flink-demo', clusterId: 'flink-demo', fixedJobId });
/** `-D key=value` pairs of an argument list, as a map. */
const dynamic = (args: string[]) => Object.fromEntries(args.flatMap((arg, index) => (arg === '-D' ? [args[index + 1]!.split(/=(.*)/s).slice(0, 2)] : [])));

describe('real Flink command lines', () => {
  test('the JobManager is an application cluster running the job class, with its arguments last', () => {
    const { file, args, logFile } = jobManagerCommand(install, layout(false));
    expect(file).toBe('java');
    expect(args.slice(0, 1)).toEqual(['-Xmx300m']); // BashJavaUtils' sizing first, as flink-console.sh
    expect(args).toEqual(expect.arrayContaining([...JAVA_MODULE_FLAGS, '-XX:-UsePerfData', '-cp', '/tools/flink/lib/*', ENTRYPOINT_CLASS]));
    expect(args.slice(args.indexOf('--job-classname'))).toEqual(['--job-classname', install.jobClass, '--triggers', '/run/s/flink/triggers', '--name', 'flink-demo']);
    expect(args).not.toContain('--job-id'); // without HA or a fixed id Flink picks a new id at every start, as in a real container restart
    expect(logFile).toBe('/run/s/logs/flink-jobmanager.log');
    expect(dynamic(args)).toMatchObject({ 'rest.port': '40001', 'jobmanager.rpc.port': '40002', 'jobmanager.memory.heap.size': '300m', 'jobmanager.archive.fs.dir': 'file:///run/s/flink/historyserver/archive', 'io.tmp.dirs': '/run/s/flink/tmp' });
  });

  test('a job id StreamPark fixed at submit is passed on, so it survives a restart', () => {
    const { args } = jobManagerCommand(install, layout(false, 'f'.repeat(32)));
    expect(args.slice(args.indexOf('--job-id'), args.indexOf('--job-id') + 2)).toEqual(['--job-id', 'f'.repeat(32)]);
  });

  test.for([
    ['without HA: no HA options', false, {}],
    ['with HA: ZooKeeper on its port, storage and cluster id', true, { 'high-availability.type': 'zookeeper', 'high-availability.zookeeper.quorum': '127.0.0.1:40003', 'high-availability.storageDir': 'file:///run/s/flink/ha', 'high-availability.cluster-id': 'flink-demo' }],
  ] as const)('%s', ([, ha, expected]) => {
    const options = dynamic(clusterOptions(layout(ha)));
    const haOptions = Object.fromEntries(Object.entries(options).filter(([key]) => key.startsWith('high-availability')));
    expect(haOptions).toEqual(expected);
  });

  test('the TaskManager shares the cluster options, with its own sizing and no job', () => {
    const { args } = taskManagerCommand(install, layout(true));
    expect(args).toContain(TASKMANAGER_CLASS);
    expect(args).not.toContain('--job-classname');
    expect(dynamic(args)).toMatchObject({ ...dynamic(clusterOptions(layout(true))), 'taskmanager.memory.task.heap.size': '150m' });
  });

  test('ZooKeeper only for HA clusters, on the HA port, data in the cluster folder', () => {
    expect(zooKeeperCommand(install, layout(true)).args.slice(-3)).toEqual([ZOOKEEPER_CLASS, '40003', '/run/s/flink/zookeeper']);
    expect(() => zooKeeperCommand(install, layout(false))).toThrow(/HA clusters only/);
  });
});

describe("the history archive Flink writes when a job ends", () => {
  const dir = mkdtempSync(join(tmpdir(), 'statuschaos-archive-'));
  const jid = 'f3b0ce56d611282e51f5c2a7a724b56f';
  writeFileSync(join(dir, jid), JSON.stringify({ archive: [{ path: '/jobs/overview', json: JSON.stringify({ jobs: [{ jid, name: 'flink-demo', state: 'CANCELED' }] }) }, { path: `/jobs/${jid}`, json: '{}' }] }));
  test.for([
    ['the final state of an archived job', jid, 'CANCELED'],
    ['nothing for a job without an archive', '0123456789abcdef0123456789abcdef', undefined],
    ['nothing for a name that is not a job id (no path outside the folder)', '../etc/passwd', undefined],
  ] as const)('%s', ([, id, expected]) => {
    expect(archivedState(dir, id)).toBe(expected);
  });
});

test("the stub's archive file is read back as real Flink's is", async () => {
  const { archiveFileText } = await import('../../../../src/backends/flink/archive-file.ts');
  const dir = mkdtempSync(join(tmpdir(), 'statuschaos-archive-stub-'));
  const jid = 'abcdef0123456789abcdef0123456789';
  writeFileSync(join(dir, jid), archiveFileText({ jid, name: 'flink-demo', state: 'FINISHED' }));
  expect(archivedState(dir, jid)).toBe('FINISHED');
});
