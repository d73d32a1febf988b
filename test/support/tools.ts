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

/** Like missingTools, for the real Flink `npm run tools` installs into `<tools>/flink` (needs a JDK and Maven). */
export function missingFlink(): string | undefined {
  const manifest = join(toolsBinDir, '..', 'flink', 'jvm-params.json');
  if (existsSync(manifest)) return undefined;
  const message = `real Flink is not installed (${manifest} is missing); run \`npm run tools\` with a JDK 17 and Maven`;
  if (onCI) throw new Error(message);
  console.warn(`skipping: ${message}`);
  return message;
}
