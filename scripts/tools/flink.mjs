// The real Flink of `--flink real` (docs/tools.md): the jars of an application cluster, resolved
// from Maven Central with `mvn dependency:copy-dependencies` (clusters/flink-job/pom.xml), the
// test job compiled with javac against them, and the JVM sizing Flink's scripts would compute,
// installed into `<tools>/flink/{lib,usrlib,conf}`. Resolved jars and the job jar are kept in the
// tools cache, keyed by a hash of their inputs, so a fresh clone only copies them.
import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { $, fs, path, which } from 'zx';
import { hashFiles, filesUnder } from './cache-keys.mjs';
import { SUPPORTED_JAVA, javaMajorVersion, parseBashJavaUtils } from './flink-params.ts';

export const FLINK_VERSION = '1.18.1';
const JOB_CLASS = 'statuschaos.flink.TriggeredStreamingJob';
const JOB_JAR = 'statuschaos-job.jar';

/** What is missing to build Flink (java, javac, mvn, a supported Java), or undefined. */
async function missingJavaTools() {
  for (const tool of ['java', 'javac', 'mvn']) {
    if (!(await which(tool, { nothrow: true }))) return `\`${tool}\` was not found on PATH`;
  }
  const version = await $`java -version`.nothrow();
  const major = javaMajorVersion(`${version.stderr}${version.stdout}`);
  if (major === undefined || !SUPPORTED_JAVA.includes(major)) return `Java ${major ?? '(unknown)'} found, Flink ${FLINK_VERSION} runs on Java ${SUPPORTED_JAVA.join(' or ')}`;
  return undefined;
}

/** Copies a file, sharing blocks where the filesystem can. */
const clone = (from, to) => copyFile(from, to, constants.COPYFILE_FICLONE);

/**
 * Builds and installs real Flink into `<toolsDir>/flink`. Returns the version recorded in
 * versions.json, or undefined when it was skipped (no JDK/Maven outside CI).
 * Options: repoRoot, toolsDir, cacheRoot, recorded (versions.json so far), onCI, step(name, fn).
 */
export async function buildFlink({ repoRoot, toolsDir, cacheRoot, recorded, onCI, step }) {
  const sources = path.join(repoRoot, 'clusters', 'flink-job');
  const installDir = path.join(toolsDir, 'flink');
  const missing = await missingJavaTools();
  if (missing) {
    const hint = 'install a JDK 17 and Maven (Debian: `apt-get install openjdk-17-jdk-headless maven`) and run `npm run tools` again';
    if (onCI) {
      console.error(`error: ${missing}: real Flink (--flink real) cannot be built; ${hint}.`);
      process.exit(3);
    }
    console.warn(`tools: ${missing}, so real Flink (--flink real) is not built and its tests skip; ${hint}.`);
    return undefined;
  }

  const pom = path.join(sources, 'pom.xml');
  const libKey = await hashFiles([pom]);
  const jobKey = await hashFiles([...(await filesUnder(path.join(sources, 'src'))), pom]);
  const confKey = await hashFiles(await filesUnder(path.join(sources, 'conf')));
  const version = `${FLINK_VERSION}+${libKey}.${jobKey}.${confKey}`;
  if (recorded.flink === version && (await fs.pathExists(path.join(installDir, 'jvm-params.json')))) {
    console.log(`▸ flink ${version}: up to date`);
    return version;
  }

  const libCache = path.join(cacheRoot, `flink-${FLINK_VERSION}-lib-${libKey}`);
  const jobCache = path.join(cacheRoot, `flink-job-${jobKey}`);
  await step(`flink ${FLINK_VERSION} jars (mvn dependency:copy-dependencies)`, async (warm) => {
    if (await fs.pathExists(path.join(libCache, '.complete'))) return warm();
    const partial = `${libCache}.partial`;
    await fs.remove(partial);
    const maven = ['-B', '-q', `-Dmaven.repo.local=${path.join(cacheRoot, 'maven-repository')}`, '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`, '-DincludeScope=runtime'];
    // offline first: a warm Maven repository needs no network at all
    const offline = await $`mvn -o ${maven}`.nothrow();
    if (offline.exitCode !== 0) await $`mvn ${maven}`;
    await fs.writeFile(path.join(partial, '.complete'), `${new Date().toISOString()}\n`);
    await fs.remove(libCache);
    await fs.rename(partial, libCache);
  });
  const jars = (await fs.readdir(libCache)).filter((name) => name.endsWith('.jar'));

  await step(`flink job (javac ${JOB_CLASS})`, async (warm) => {
    if (await fs.pathExists(path.join(jobCache, JOB_JAR))) return warm();
    const classes = path.join(jobCache, '.classes');
    await fs.remove(jobCache);
    await fs.mkdirp(classes);
    const javaFiles = (await filesUnder(path.join(sources, 'src'))).filter((file) => file.endsWith('.java'));
    await $`javac --release 11 -nowarn -cp ${`${libCache}/*`} -d ${classes} ${javaFiles}`;
    await $`jar --create --file ${path.join(jobCache, `.partial-${JOB_JAR}`)} -C ${classes} .`;
    await fs.rename(path.join(jobCache, `.partial-${JOB_JAR}`), path.join(jobCache, JOB_JAR));
    await fs.remove(classes);
  });

  await step(`flink install into ${installDir}`, async () => {
    await fs.remove(installDir);
    for (const dir of ['lib', 'usrlib', 'conf']) await fs.mkdirp(path.join(installDir, dir));
    for (const jar of jars) await clone(path.join(libCache, jar), path.join(installDir, 'lib', jar));
    await clone(path.join(jobCache, JOB_JAR), path.join(installDir, 'usrlib', JOB_JAR));
    for (const file of await fs.readdir(path.join(sources, 'conf'))) await clone(path.join(sources, 'conf', file), path.join(installDir, 'conf', file));
    // The JVM sizing Flink's start scripts compute from the configuration, computed once here.
    const params = {};
    for (const [role, mode] of [['jobmanager', 'GET_JM_RESOURCE_PARAMS'], ['taskmanager', 'GET_TM_RESOURCE_PARAMS']]) {
      const out = await $`java -cp ${`${path.join(installDir, 'lib')}/*`} org.apache.flink.runtime.util.bash.BashJavaUtils ${mode} --configDir ${path.join(installDir, 'conf')}`;
      params[role] = parseBashJavaUtils(`${out.stdout}\n${out.stderr}`);
    }
    const manifest = { flink: FLINK_VERSION, jobClass: JOB_CLASS, jobJar: `usrlib/${JOB_JAR}`, jars: jars.length, ...params };
    await fs.writeFile(path.join(installDir, 'jvm-params.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  });
  console.log(`  flink: ${jars.length} jars, job ${JOB_CLASS}`);
  return version;
}
