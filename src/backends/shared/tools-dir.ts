/**
 * Where the live backends find the binaries `npm run tools` built: `<toolsDir>/bin`, with the
 * tools folder from STATUSCHAOS_TOOLS_DIR or the repository's `.tools`. The project's own build
 * comes first, so a different version earlier on PATH does not decide a run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultToolsDir } from '../../tool.ts';

export { defaultToolsDir, REPO_ROOT } from '../../tool.ts';

/** The built binary `<toolsDir>/bin/<name>` when it exists, else `name` (looked up on PATH). */
export function builtOrPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const built = join(defaultToolsDir(env), 'bin', name);
  return existsSync(built) ? built : name;
}
