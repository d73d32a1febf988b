/**
 * Where the live backends find the binaries `npm run tools` built: `<toolsDir>/bin`, with the
 * tools folder from STATUSCHAOS_TOOLS_DIR or the repository's `.tools`. The project's own build
 * comes first, so a different version earlier on PATH does not decide a run.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's root folder (four levels above this file). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** The tools folder: STATUSCHAOS_TOOLS_DIR, else the repository's `.tools` (where `npm run tools` builds). */
export function defaultToolsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.STATUSCHAOS_TOOLS_DIR ?? join(REPO_ROOT, '.tools'));
}

/** The built binary `<toolsDir>/bin/<name>` when it exists, else `name` (looked up on PATH). */
export function builtOrPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const built = join(defaultToolsDir(env), 'bin', name);
  return existsSync(built) ? built : name;
}
