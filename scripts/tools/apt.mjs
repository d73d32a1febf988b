// Debian packages the kind world needs on the host (docker.io, debootstrap, libseccomp-dev, gcc),
// installed the way scripts/chromium.mjs installs Chromium: only where it can be done without
// asking (root, apt-get present). Anywhere else the caller says what to install and skips.
import { $, which } from 'zx';

/** The packages of `names` that dpkg does not list as installed. */
export async function missingPackages(names) {
  const missing = [];
  for (const name of names) {
    const status = await $`dpkg-query -W -f=${'${Status}'} ${name}`.nothrow();
    if (status.exitCode !== 0 || !status.stdout.includes('install ok installed')) missing.push(name);
  }
  return missing;
}

/**
 * Installs `names` with apt-get where it can. Resolves with undefined when they are all there,
 * else with a sentence saying what is missing and how to install it.
 */
export async function ensurePackages(names, why) {
  const missing = await missingPackages(names);
  if (missing.length === 0) return undefined;
  const hint = `\`apt-get install ${missing.join(' ')}\` (${why})`;
  if (process.getuid?.() !== 0 || !(await which('apt-get', { nothrow: true }))) return `missing Debian packages: ${hint}`;
  console.log(`  apt-get install ${missing.join(' ')} (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = await $({ env })`apt-get install -y -qq --no-install-recommends ${missing}`.nothrow();
  if (install.exitCode !== 0) {
    // a stale package list: update once and try again
    await $({ env })`apt-get update -qq`.nothrow();
    install = await $({ env })`apt-get install -y -qq --no-install-recommends ${missing}`.nothrow();
  }
  if (install.exitCode !== 0) return `apt-get install ${missing.join(' ')} failed (exit ${install.exitCode}): ${String(install.stderr).trim().split('\n').slice(-5).join(' | ')}`;
  return undefined;
}
