// Cache keys of the tools built from files (real Flink, the StreamPark driver): a short sha256
// over what the build reads, so a changed input builds anew and an unchanged one is copied.
import { createHash } from 'node:crypto';
import { fs, path } from 'zx';

/** sha256 over labels and files (name and content), short: the cache key of what they produce. */
export async function hashFiles(files, labels = []) {
  const hash = createHash('sha256');
  for (const label of labels) hash.update(`${label}\0`);
  for (const file of files) hash.update(`${path.basename(file)}\0`).update(await fs.readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 12);
}

/** Every file under `dir`, sorted. */
export async function filesUnder(dir) {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
}
