import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run tools` puts the binaries (overridable for tests of the tools script itself). */
export const toolsBinDir = resolve(process.env.STATUSCHAOS_TOOLS_DIR ?? join(import.meta.dirname, '..', '..', '.tools'), 'bin');

import { onCI as isCI } from '../../src/tool.ts';

/** True on CI, where a missing tool must fail the run instead of skipping. */
export const onCI = isCI();

/**
 * Returns the tools that are missing from `.tools/bin`. On CI a missing tool throws, so the
 * run fails loudly; locally the caller skips with the returned message.
 */
export function missingTools(names: readonly string[]): string | undefined {
  const missing = names.filter((name) => !existsSync(join(toolsBinDir, name)));
  if (missing.length === 0) return undefined;
  const message = `missing tools in ${toolsBinDir}: ${missing.join(', ')}; run \`npm run tools\` to build them`;
  if (onCI) throw new Error(message);
  console.warn(`skipping: ${message}`);
  return message;
}
