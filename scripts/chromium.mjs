#!/usr/bin/env node
// Makes sure Debian's Chromium is there for the report's browser tests (`npm test` runs this
// first). Playwright's own browser download cannot work on a machine that reaches only package
// registries, so the browser comes from apt. It installs only where it can do so without asking
// (root, apt-get present); anywhere else it says what to run and leaves the decision to the
// user: the browser tests then skip locally, and fail on CI.
import { $, which } from 'zx';
import { CHROMIUM_INSTALL_HINT as HINT, chromiumPath } from './browser/chromium.ts';

$.verbose = false;
$.quiet = true;

const BROWSER = chromiumPath();

async function version(binary) {
  const out = await $`${binary} --version`.nothrow();
  return out.exitCode === 0 ? out.stdout.trim() : undefined;
}

const present = await version(BROWSER);
if (present) {
  console.log(`chromium: ${present}`);
  process.exit(0);
}

const isRoot = process.getuid?.() === 0;
const apt = await which('apt-get', { nothrow: true });
if (!isRoot || !apt || process.env.STATUSCHAOS_CHROMIUM !== undefined) {
  console.warn(`chromium: not found at ${BROWSER}; the report's browser tests need it: ${HINT}`);
  process.exit(0); // not an error here: the test itself skips (locally) or fails (CI) with this hint
}

console.log('chromium: not found; installing Debian chromium with apt-get (about a minute)…');
const started = performance.now();
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const update = await $({ env })`apt-get update -qq`.nothrow();
const install = update.exitCode === 0 ? await $({ env })`apt-get install -y -qq chromium`.nothrow() : update;
if (install.exitCode !== 0) {
  console.error(`chromium: apt-get failed (exit ${install.exitCode}):\n${String(install.stderr).trim().split('\n').slice(-10).join('\n')}\n${HINT}`);
  process.exit(1);
}
console.log(`chromium: ${await version(BROWSER)} installed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
