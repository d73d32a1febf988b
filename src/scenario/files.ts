/** Finding and loading scenario files given as files or folders on the command line. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from '../errors/fs-messages.ts';
import { UserError, UserErrors } from '../errors/user-error.ts';
import { LIMITS } from './limits.ts';
import { loadScenarioFile } from './load.ts';
import type { Scenario } from './types.ts';

const SCENARIO_FILE = /\.ya?ml$/;

/**
 * The scenario files under `path`, appended to `files` (a set: no duplicates). Links to folders
 * are not followed (a link back to a parent would never end); links to files are read.
 */
async function expand(path: string, files: Set<string>, depth: number): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new UserError(describeFsError(error), { location: { file: path }, hint: 'give scenario files (.yaml) or folders that contain them' });
  }
  if (!info.isDirectory()) {
    files.add(path);
  } else {
    if (depth > LIMITS.folderDepth) throw new UserError(`folders nest more than ${LIMITS.folderDepth} levels deep under the one given`, { location: { file: path }, hint: 'give the folders that hold the scenarios' });
    const entries = await readdir(path, { withFileTypes: true }).catch((error: unknown) => {
      throw new UserError(`cannot list the folder: ${describeFsError(error)}`, { location: { file: path } });
    });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) await expand(join(path, entry.name), files, depth + 1);
      else if (SCENARIO_FILE.test(entry.name) && !entry.isDirectory()) files.add(join(path, entry.name));
    }
  }
  if (files.size > LIMITS.scenarioFiles) throw new UserError(`more than ${LIMITS.scenarioFiles} scenario files`, { location: { file: path }, hint: 'run fewer at a time (docs/limits.md)' });
}

/** Every scenario file under the given paths, in a stable order, without duplicates. */
export async function scenarioFiles(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) throw new UserError('no scenario given', { hint: 'pass scenario files or folders, e.g. `statuschaos run scenarios/`' });
  const files = new Set<string>();
  for (const path of paths) await expand(path, files, 0);
  if (files.size === 0) throw new UserError(`no .yaml scenario files in ${paths.join(', ')}`);
  return [...files];
}

/** Load every file; all problems of all files are reported together. Names must be unique. */
export async function loadScenarios(paths: readonly string[], signal?: AbortSignal): Promise<Scenario[]> {
  const files = await scenarioFiles(paths);
  const errors: UserError[] = [];
  let notShown = 0;
  const scenarios: Scenario[] = [];
  for (const file of files) {
    signal?.throwIfAborted(); // a thousand files of 256 KiB: a stop is taken between two
    try {
      scenarios.push(await loadScenarioFile(file));
    } catch (error) {
      if (error instanceof UserErrors) {
        errors.push(...error.errors);
        notShown += error.notShown;
      } else if (error instanceof UserError) errors.push(error);
      else throw error;
    }
  }
  const seen = new Map<string, string>();
  for (const scenario of scenarios) {
    const other = seen.get(scenario.name);
    if (other !== undefined) errors.push(new UserError(`scenario name \`${scenario.name}\` is also used by ${other}`, { location: { file: scenario.file, line: 1 }, hint: 'names identify scenarios in reports: make them unique' }));
    seen.set(scenario.name, scenario.file);
  }
  if (errors.length > 0) throw new UserErrors(errors, notShown);
  return scenarios;
}
