/**
 * An output folder must be apart from a command's inputs: not one of them, not holding one (the
 * earlier output it replaces is removed, and the input with it: `run OUT/findings --out OUT`
 * deleted its own 40 input files), not inside one (a report folder inside a scenario folder is
 * read as scenarios next time). Folders are compared by device and inode, never by path: a bind
 * mount or a second path to the same folder is the same folder.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors/user-error.ts';

interface Identity {
  dev: number;
  ino: number;
}

const same = (a: Identity, b: Identity) => a.dev === b.dev && a.ino === b.ino;

/** The identities of `path` (when it exists) and of every folder above it, nearest first. */
async function chain(path: string): Promise<{ path: string; id: Identity }[]> {
  const found: { path: string; id: Identity }[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    const info = await stat(current).catch(() => undefined);
    if (info !== undefined) found.push({ path: current, id: { dev: info.dev, ino: info.ino } });
    if (current === dirname(current)) return found;
  }
}

/** Is `output` the same folder as `input` (device and inode)? False when either does not exist. */
export async function sameFolder(output: string, input: string): Promise<boolean> {
  const [a, b] = await Promise.all([stat(output).catch(() => undefined), stat(input).catch(() => undefined)]);
  return a !== undefined && b !== undefined && same(a, b);
}

/**
 * Refuse (exit 2) an output folder that is, contains or is inside one of `inputs` (files or
 * folders); `allowSame`: the one input it may be (a run re-rendered in place by `report`).
 */
export async function checkApartFromInputs(output: string, inputs: readonly string[], allowSame?: string): Promise<void> {
  const outChain = await chain(output);
  const outSelf = outChain[0]?.path === resolve(output) ? outChain[0] : undefined;
  for (const input of inputs) {
    const inChain = await chain(input);
    const inSelf = inChain[0]?.path === resolve(input) ? inChain[0] : undefined;
    if (inSelf === undefined) continue; // not there: the command says so itself
    const refuse = (what: string, hint: string) => new UserError(`output folder ${output}: ${what}`, { hint });
    if (outSelf !== undefined && same(outSelf.id, inSelf.id)) {
      if (allowSame !== undefined && (await sameFolder(allowSame, input))) continue;
      throw refuse(`it is the input ${input}${outSelf.path === inSelf.path ? '' : ' (the same folder by another path)'}`, 'give a new folder for the output');
    }
    if (outSelf !== undefined && inChain.slice(1).some((above) => same(above.id, outSelf.id))) throw refuse(`it holds the input ${input}, which replacing the folder would remove`, 'give a folder outside the inputs, e.g. a new one beside them');
    if (outChain.some((above) => same(above.id, inSelf.id))) throw refuse(`it is inside the input folder ${input}`, 'give a folder outside the inputs, e.g. a new one beside them');
  }
}
