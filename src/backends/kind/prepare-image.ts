/**
 * The JobManager image on the kind node, loaded with `kind load docker-image`:
 * - the REST stub, built from clusters/flink-rest-stub/Dockerfile on the Node image `npm run
 *   tools` built (tagged by content: an unchanged stub is found, not built again; one this run
 *   built is removed at the end);
 * - `--flink real`: the Flink image `npm run tools` built;
 * - `--flink-image`: the user's image, loaded if Docker has it (else the node pulls it).
 */
import { BackendError } from '../backend.ts';
import type { CommandContext } from './commands.ts';
import type { KindConfig } from './config.ts';
import { buildStubImage, hasLocalImage, loadImage, stubImageTag } from './image.ts';
import type { KindTools } from './preflight.ts';

export interface ImageChoice {
  flinkImage: string | undefined;
  /** the Flink image of `npm run tools` for --flink real */
  realFlink: string | undefined;
  /** the stub's base image of `npm run tools` (undefined: the Dockerfile's default) */
  stubBase: string | undefined;
}

/** Make the JobManager image available on the node; says whether this run built it. */
export async function prepareImage(context: CommandContext, tools: KindTools, config: KindConfig, choice: ImageChoice, progress: (message: string) => void, onBuilt: (image: string) => void): Promise<{ image: string; built: boolean }> {
  const began = performance.now();
  const loaded = (image: string, built: boolean) => {
    progress(`kind: image ${image} ${built ? 'built and ' : ''}loaded into ${config.name} in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    return { image, built };
  };
  if (choice.flinkImage !== undefined) {
    if (await hasLocalImage(context, tools.docker, choice.flinkImage)) await loadImage(context, tools.kind, choice.flinkImage, config.name);
    else progress(`kind: ${choice.flinkImage} is not in the local Docker store; the node pulls it`);
    return { image: choice.flinkImage, built: false };
  }
  if (choice.realFlink !== undefined) {
    if (!(await hasLocalImage(context, tools.docker, choice.realFlink))) throw new BackendError(`the Flink image ${choice.realFlink} is not in Docker`, { hint: 'build it with `npm run tools`' });
    await loadImage(context, tools.kind, choice.realFlink, config.name);
    return loaded(choice.realFlink, false);
  }
  const tag = await stubImageTag(choice.stubBase);
  const built = !(await hasLocalImage(context, tools.docker, tag));
  if (built) {
    progress(`kind: building ${tag}${choice.stubBase ? ` on ${choice.stubBase}` : ''}`);
    await buildStubImage(context, tools.docker, tag, choice.stubBase);
    onBuilt(tag);
  }
  await loadImage(context, tools.kind, tag, config.name);
  return loaded(tag, built);
}
