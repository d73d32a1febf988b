/** Finding and loading scenario files given as files or folders on the command line. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, UserErrors } from '../errors/user-error.ts';
import { loadScenarioFile } from './load.ts';
import type { Scenario } from './types.ts';

const SCENARIO_FILE = /\.ya?ml$/;

async function expand(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UserError(`no such file or folder: ${path}`, { location: { file: path }, hint: 'give scenario files (.yaml) or folders that contain them' });
  }
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() || SCENARIO_FILE.test(entry.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((entry) => (entry.isDirectory() ? expand(join(path, entry.name)) : [join(path, entry.name)])),
  );
  return nested.flat();
}

/** Every scenario file under the given paths, in a stable order, without duplicates. */
export async function scenarioFiles(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) throw new UserError('no scenario given', { hint: 'pass scenario files or folders, e.g. `statuschaos run scenarios/`' });
  const files: string[] = [];
  for (const path of paths) for (const file of await expand(path)) if (!files.includes(file)) files.push(file);
  if (files.length === 0) throw new UserError(`no .yaml scenario files in ${paths.join(', ')}`);
  return files;
}

/** Load every file; all problems of all files are reported together. Names must be unique. */
export async function loadScenarios(paths: readonly string[]): Promise<Scenario[]> {
  const files = await scenarioFiles(paths);
  const errors: UserError[] = [];
  const scenarios: Scenario[] = [];
  for (const file of files) {
    try {
      scenarios.push(await loadScenarioFile(file));
    } catch (error) {
      if (error instanceof UserErrors) errors.push(...error.errors);
      else if (error instanceof UserError) errors.push(error);
      else throw error;
    }
  }
  const seen = new Map<string, string>();
  for (const scenario of scenarios) {
    const other = seen.get(scenario.name);
    if (other !== undefined) errors.push(new UserError(`scenario name \`${scenario.name}\` is also used by ${other}`, { location: { file: scenario.file, line: 1 }, hint: 'names identify scenarios in reports: make them unique' }));
    seen.set(scenario.name, scenario.file);
  }
  if (errors.length > 0) throw new UserErrors(errors);
  return scenarios;
}
