/** The tool's name and version, read once from package.json. */
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const TOOL = { name: manifest.name, version: manifest.version };

/** Running on CI (`CI=true` or `CI=1`): a missing tool fails the run instead of being skipped. */
export function onCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}
