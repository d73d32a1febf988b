// Steps of `npm run tools`: each prints its name before, and after it the wall time and whether it
// built something (cold) or only found it cached (warm); the summary at the end lists them all.
// The expected times come from docs/tools.md (measured on a 2-core machine, quiet and loaded).
import { createHash } from 'node:crypto';
import { fs, path } from 'zx';

const steps = [];

/**
 * Runs `fn` as a named step. `fn` may return `{ cached: true }` (or call `warm()`) to say it
 * found its result in the cache; anything else counts as built.
 */
export async function step(name, fn) {
  console.log(`▸ ${name}`);
  const record = { name, seconds: 0, cached: false };
  steps.push(record);
  const started = performance.now();
  try {
    const result = await fn(() => (record.cached = true));
    if (result && typeof result === 'object' && result.cached === true) record.cached = true;
    return result;
  } finally {
    record.seconds = (performance.now() - started) / 1000;
    console.log(`  ${name}: ${record.seconds.toFixed(1)}s${record.cached ? ' (cached)' : ''}`);
  }
}

/** The steps run so far, for the summary. */
export function stepRecords() {
  return steps;
}

/** Prints every step with its time, built or cached, slowest first. */
export function printSummary(totalSeconds) {
  const built = steps.filter((record) => !record.cached && record.seconds >= 1).sort((a, b) => b.seconds - a.seconds);
  if (built.length > 0) {
    console.log('\nbuilt (cold):');
    for (const record of built) console.log(`  ${record.seconds.toFixed(1).padStart(7)}s  ${record.name}`);
  }
  const cached = steps.filter((record) => record.cached);
  if (cached.length > 0) console.log(`from cache (warm): ${cached.length} steps, ${cached.reduce((sum, record) => sum + record.seconds, 0).toFixed(1)}s`);
  console.log(`\ndone in ${totalSeconds.toFixed(1)}s`);
}

/** A short sha256 of `parts` (strings, or `{ file }` whose content is read): a cache key of what they produce. */
export async function contentKey(parts) {
  const hash = createHash('sha256');
  for (const part of parts) {
    if (typeof part === 'string') hash.update(`s:${part}\0`);
    else hash.update(`f:${path.basename(part.file)}\0`).update(await fs.readFile(part.file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * Makes `dir` with `build(partialDir)` unless it is complete already (a `.complete` file); the
 * build writes into a `.partial` folder renamed into place, so an interrupted build leaves no
 * half-made cache entry. Resolves with `{ cached }`.
 */
export async function cachedDir(dir, build) {
  if (await fs.pathExists(path.join(dir, '.complete'))) return { cached: true };
  const partial = `${dir}.partial`;
  await fs.remove(partial);
  await fs.mkdirp(partial);
  await build(partial);
  await fs.writeFile(path.join(partial, '.complete'), `${new Date().toISOString()}\n`);
  await fs.remove(dir);
  await fs.rename(partial, dir);
  return { cached: false };
}
