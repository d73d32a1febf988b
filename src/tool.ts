/** The tool's name and version, read once from package.json; where the repository and its tools are. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const TOOL = { name: manifest.name, version: manifest.version };

/** Running on CI (`CI=true` or `CI=1`): a missing tool fails the run instead of being skipped. */
export function onCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** The tools folder: STATUSCHAOS_TOOLS_DIR, else the repository's `.tools` (where `npm run tools` builds). */
export function defaultToolsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.STATUSCHAOS_TOOLS_DIR ?? join(REPO_ROOT, '.tools'));
}
