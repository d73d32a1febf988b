/**
 * The images `npm run tools` built for kind (scripts/tools/kind-world.mjs), as it recorded them in
 * `<tools>/kind/images.json`: the node image, the REST stub's base and the real Flink image.
 * Absent (tools not built, or not on this machine): kind's own node image is used, the stub's
 * Dockerfile default base, and `--flink real` is refused.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultToolsDir } from '../shared/tools-dir.ts';

export interface KindToolImages {
  /** where the record was read */
  file: string;
  kind?: string;
  kubernetes?: string;
  /** statuschaos/kind-node:<kubernetes>-<hash> */
  node?: string;
  /** statuschaos/node-runtime:<node>-<hash>: the stub's base */
  nodeRuntime?: string;
  /** statuschaos/flink:<version>-<hash> */
  flink?: string;
}

/** What images.json says; `{ file }` alone when there is none. */
export async function readToolImages(env: NodeJS.ProcessEnv): Promise<KindToolImages> {
  const file = join(defaultToolsDir(env), 'kind', 'images.json');
  try {
    return { ...(JSON.parse(await readFile(file, 'utf8')) as Omit<KindToolImages, 'file'>), file };
  } catch {
    return { file };
  }
}
