// Where the project's browser is and how it starts, shared by scripts/chromium.mjs (install),
// the report's browser test and scripts/screenshot-report.mjs. Debian's chromium, because
// Playwright's own browser download cannot work on a machine that reaches only package registries.

/** The Chromium binary: STATUSCHAOS_CHROMIUM, else Debian's. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.STATUSCHAOS_CHROMIUM ?? '/usr/bin/chromium';
}

/** Headless, no sandbox (CI runs as root), and none of the background connections a closed network refuses. */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export const CHROMIUM_INSTALL_HINT = 'install it with `sudo apt-get install chromium` (Debian/Ubuntu), or set STATUSCHAOS_CHROMIUM to a Chromium binary';
