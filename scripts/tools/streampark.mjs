// StreamPark's own console code for the real trackers `real-2.1.3` and `real-2.1.4` (docs/tools.md,
// docs/streampark-real.md): for each version, the console's runtime classpath resolved with Maven from
// ../shared/systems/streampark/maven (StreamPark's module jars, not on Maven Central) plus Maven
// Central (src/trackers/streampark-real/driver/pom.xml), the driver compiled with javac against
// it, installed into `<tools>/streampark/<version>/` with a launch.json that says how to start it.
// Resolved jars and driver jars are kept in the tools cache, keyed by a hash of their inputs.
import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { $, fs, path, which } from 'zx';
import { filesUnder, hashFiles } from './cache-keys.mjs';
import { javaMajorVersion } from './flink-params.ts';
import { consoleClasspath } from '../../src/trackers/streampark-real/classpath.ts';
import { streamparkMavenDir } from './streampark-maven.ts';

export const STREAMPARK_VERSIONS = ['2.1.3', '2.1.4'];
const MAIN_CLASS = 'statuschaos.streampark.Driver';
const DRIVER_JAR = 'streampark-driver.jar';
const MODULE_GROUP = path.join('org', 'apache', 'streampark');
/**
 * JVM options of the driver. The two --add-opens are what StreamPark's own start script passes on
 * Java 9+ (streampark.sh → ParameterCli --vmopt); the rest keeps one console small on a shared
 * machine (the console's jvm_opts.sh asks for a 1 GiB heap; tracking a few apps needs far less).
 */
const JVM_OPTIONS = [
  '--add-opens', 'java.base/jdk.internal.loader=ALL-UNNAMED',
  '--add-opens', 'jdk.zipfs/jdk.nio.zipfs=ALL-UNNAMED',
  '-Xmx384m', '-Xss512k', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1',
];

/** What is missing to build the driver (java, javac, mvn, Java 17+), or undefined. */
async function missingJavaTools() {
  for (const tool of ['java', 'javac', 'mvn']) {
    if (!(await which(tool, { nothrow: true }))) return `\`${tool}\` was not found on PATH`;
  }
  const version = await $`javac -version`.nothrow();
  const major = javaMajorVersion(`javac version "${`${version.stdout}${version.stderr}`.replace(/^javac\s+/, '').trim()}"`);
  if (major === undefined || major < 17) return `javac ${major ?? '(unknown)'} found, the driver is compiled with --release 17`;
  return undefined;
}

const clone = (from, to) => copyFile(from, to, constants.COPYFILE_FICLONE);

/**
 * Builds and installs the driver for every StreamPark version into `<toolsDir>/streampark/`, and
 * records `streampark-<version>` in versions.json. Skips (returns false) without a JDK 17, Maven
 * or the module jars outside CI; exits 3 on CI. Options: repoRoot, toolsDir, cacheRoot,
 * versionsFile, onCI, step(name, fn).
 */
export async function buildStreampark({ repoRoot, toolsDir, cacheRoot, versionsFile, onCI, step }) {
  const mavenDir = streamparkMavenDir(repoRoot);
  const missing = (await missingJavaTools()) ?? ((await fs.pathExists(path.join(mavenDir, MODULE_GROUP))) ? undefined : `StreamPark's module jars are not in ${mavenDir}`);
  if (missing) {
    const hint = 'install a JDK 17 and Maven (Debian: `apt-get install openjdk-17-jdk-headless maven`), put StreamPark\'s module jars in ../shared/systems/streampark/maven (or set STATUSCHAOS_STREAMPARK_MAVEN), and run `npm run tools` again';
    if (onCI) {
      console.error(`error: ${missing}: the real StreamPark trackers cannot be built; ${hint}.`);
      process.exit(3);
    }
    console.warn(`tools: ${missing}, so the real StreamPark trackers (real-2.1.3, real-2.1.4) are not built and their tests skip; ${hint}.`);
    return false;
  }
  const sources = path.join(repoRoot, 'src', 'trackers', 'streampark-real', 'driver');
  const pom = path.join(sources, 'pom.xml');
  const driverInputs = [...(await filesUnder(path.join(sources, 'src'))), path.join(sources, 'logback.xml'), ...(await filesUnder(path.join(sources, 'hadoop-conf')))];
  const recorded = {};
  for (const version of STREAMPARK_VERSIONS) {
    const modules = (await filesUnder(path.join(mavenDir, MODULE_GROUP))).filter((file) => file.split(path.sep).includes(version));
    const libKey = await hashFiles([pom, ...modules], [version]);
    const driverKey = await hashFiles(driverInputs, [version, libKey]);
    const stamp = `${version}+${libKey}.${driverKey}`;
    const installDir = path.join(toolsDir, 'streampark', version);
    recorded[`streampark-${version}`] = stamp;
    if ((await fs.readFile(path.join(installDir, 'stamp'), 'utf8').catch(() => '')) === stamp && (await fs.pathExists(path.join(installDir, 'lib', '.complete')))) {
      console.log(`▸ streampark ${version}: up to date`);
      continue;
    }
    const libCache = path.join(cacheRoot, `streampark-${version}-lib-${libKey}`);
    await step(`streampark ${version} classpath (mvn dependency:copy-dependencies)`, () => resolveClasspath({ version, pom, mavenDir, modules, libCache, cacheRoot }));
    const driverCache = path.join(cacheRoot, `streampark-driver-${version}-${driverKey}`);
    await step(`streampark ${version} driver (javac ${MAIN_CLASS})`, () => compileDriver({ sources, libCache, driverCache }));
    await step(`streampark ${version} install into ${installDir}`, () => install({ version, sources, libCache, driverCache, installDir, stamp }));
  }
  await fs.mkdirp(toolsDir);
  const versions = JSON.parse(await fs.readFile(versionsFile, 'utf8').catch(() => '{}'));
  await fs.writeFile(versionsFile, `${JSON.stringify({ ...versions, ...recorded }, null, 2)}\n`);
  return true;
}

/** The console's runtime jars into `libCache`: offline first, online when the local repository lacks them or holds other module jars than `mavenDir`. */
async function resolveClasspath({ version, pom, mavenDir, modules, libCache, cacheRoot }) {
  if (await fs.pathExists(path.join(libCache, '.complete'))) return console.log(`  from cache ${libCache}`);
  const localRepo = path.join(cacheRoot, 'maven-repository');
  const partial = `${libCache}.partial`;
  const maven = ['-B', '-q', `-Dmaven.repo.local=${localRepo}`, '-f', pom, `-Dstreampark.version=${version}`, `-Dstreampark.repository=${new URL(`file://${mavenDir}/`).href}`, 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`, '-DincludeScope=runtime'];
  await fs.remove(partial);
  const offline = await $`mvn -o ${maven}`.nothrow();
  if (offline.exitCode !== 0 || !(await sameModuleJars(partial, modules))) {
    // Maven keeps release jars for ever: a changed module jar in mavenDir is only seen after dropping the old copy
    await fs.remove(path.join(localRepo, MODULE_GROUP));
    await fs.remove(partial);
    await $`mvn ${maven}`;
    if (!(await sameModuleJars(partial, modules))) throw new Error(`the resolved StreamPark ${version} jars differ from those in ${mavenDir}`);
  }
  await fs.writeFile(path.join(partial, '.complete'), `${new Date().toISOString()}\n`);
  await fs.remove(libCache);
  await fs.rename(partial, libCache);
}

/** True when every module jar of `modules` was copied into `dir` unchanged. */
async function sameModuleJars(dir, modules) {
  for (const jar of modules.filter((file) => file.endsWith('.jar'))) {
    const copied = path.join(dir, path.basename(jar));
    if (!(await fs.pathExists(copied))) continue; // a module the console does not depend on
    if (!(await fs.readFile(copied)).equals(await fs.readFile(jar))) return false;
  }
  return true;
}

async function compileDriver({ sources, libCache, driverCache }) {
  if (await fs.pathExists(path.join(driverCache, DRIVER_JAR))) return console.log(`  from cache ${driverCache}`);
  const classes = path.join(driverCache, '.classes');
  await fs.remove(driverCache);
  await fs.mkdirp(classes);
  const javaFiles = (await filesUnder(path.join(sources, 'src'))).filter((file) => file.endsWith('.java'));
  await $`javac --release 17 -nowarn -cp ${`${libCache}/*`} -d ${classes} ${javaFiles}`;
  await $`jar --create --file ${path.join(driverCache, `.partial-${DRIVER_JAR}`)} -C ${classes} .`;
  await fs.rename(path.join(driverCache, `.partial-${DRIVER_JAR}`), path.join(driverCache, DRIVER_JAR));
  await fs.remove(classes);
}

/**
 * `<installDir>`: lib (a link to the cached jars), the driver jar, logback.xml, hadoop-conf/, and
 * launch.json: the java command line without the per-run parts (docs/streampark-real.md).
 */
async function install({ version, sources, libCache, driverCache, installDir, stamp }) {
  await fs.remove(installDir);
  await fs.mkdirp(installDir);
  await fs.symlink(libCache, path.join(installDir, 'lib'));
  await clone(path.join(driverCache, DRIVER_JAR), path.join(installDir, DRIVER_JAR));
  await clone(path.join(sources, 'logback.xml'), path.join(installDir, 'logback.xml'));
  await fs.copy(path.join(sources, 'hadoop-conf'), path.join(installDir, 'hadoop-conf'));
  const jars = consoleClasspath(await fs.readdir(libCache));
  const launch = {
    tracker: `real-${version}`,
    streampark: version,
    mainClass: MAIN_CLASS,
    args: ['--tracker', `real-${version}`],
    driverJar: path.join(installDir, DRIVER_JAR),
    jvmOptions: [...JVM_OPTIONS, `-Dlogback.configurationFile=${path.join(installDir, 'logback.xml')}`],
    env: { HADOOP_CONF_DIR: path.join(installDir, 'hadoop-conf') },
    classpath: [path.join(installDir, DRIVER_JAR), ...jars.map((jar) => path.join(installDir, 'lib', jar))],
  };
  await fs.writeFile(path.join(installDir, 'launch.json'), `${JSON.stringify(launch, null, 2)}\n`);
  await fs.writeFile(path.join(installDir, 'stamp'), stamp);
  console.log(`  streampark ${version}: ${jars.length} jars on the classpath`);
}
