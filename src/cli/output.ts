/**
 * Where a command writes (docs/limits.md, "The output folder"): `--out`, checked and locked
 * before anything runs, or a new `reports/<time>-<backend>` folder (never shared by two runs)
 * that `reports/latest` then points at.
 */
import { join, resolve } from 'node:path';
import { checkApartFromInputs } from '../record/inputs-apart.ts';
import { claimOutputFolder, createUniqueFolder, pointLatestAt, type OutputFolder } from '../record/output-folder.ts';

export interface RunOutput {
  folder: OutputFolder;
  /** set for the default folder: `reports/latest` is pointed at it once the run is written */
  reportsDir: string | undefined;
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** Claim the run's output folder: `out` when given, else a new folder under `<cwd>/reports`; apart from the command's `inputs` either way. */
export async function claimRunOutput(cwd: string, out: string | undefined, backend: string, inputs: readonly string[] = []): Promise<RunOutput> {
  const resolved = inputs.map((input) => resolve(cwd, input));
  if (out !== undefined) return { folder: await claimOutputFolder(resolve(cwd, out), { inputs: resolved }), reportsDir: undefined };
  const reportsDir = join(cwd, 'reports');
  await checkApartFromInputs(join(reportsDir, 'new'), resolved); // before the folder is made
  const created = await createUniqueFolder(reportsDir, `${timestamp(new Date())}-${backend}`);
  return { folder: await claimOutputFolder(created, { created: true, inputs: resolved }), reportsDir };
}

/** After a default run: point reports/latest at it; a warning when that was not possible. */
export async function linkLatest(output: RunOutput): Promise<string | undefined> {
  return output.reportsDir === undefined ? undefined : pointLatestAt(output.reportsDir, output.folder.path);
}
