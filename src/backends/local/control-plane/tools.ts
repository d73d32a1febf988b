/** The control plane's binaries and kwok Stages, and the versions `npm run tools` recorded. */
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../../shared/tools-dir.ts';
import { ControlPlaneError } from './errors.ts';

/** The binaries the local control plane runs, by their names in `<toolsDir>/bin`. */
export const CONTROL_PLANE_TOOLS = ['etcd', 'toxiproxy-server', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type ControlPlaneTool = (typeof CONTROL_PLANE_TOOLS)[number];


/** The kwok Stage files the fake node and its pods follow (see clusters/local/README.md). */
export const STAGES_DIR = join(REPO_ROOT, 'clusters', 'local', 'stages');

/** Returns each tool's path in `<toolsDir>/bin` and the versions `npm run tools` recorded; throws naming every missing binary. */
export async function resolveTools(toolsDir: string): Promise<{ paths: Record<ControlPlaneTool, string>; versions: Record<string, string> }> {
  const paths = Object.fromEntries(CONTROL_PLANE_TOOLS.map((tool) => [tool, join(toolsDir, 'bin', tool)])) as Record<ControlPlaneTool, string>;
  const missing: string[] = [];
  for (const tool of CONTROL_PLANE_TOOLS) {
    try {
      await access(paths[tool], constants.X_OK);
    } catch {
      missing.push(tool);
    }
  }
  if (missing.length > 0) {
    throw new ControlPlaneError(
      `missing control-plane binaries in ${join(toolsDir, 'bin')}: ${missing.join(', ')}; run \`npm run tools\` to build them`,
      { component: missing[0] },
    );
  }
  let recorded: Record<string, string> = {};
  try {
    recorded = JSON.parse(await readFile(join(toolsDir, 'versions.json'), 'utf8')) as Record<string, string>;
  } catch {
    // versions.json is informational; binaries placed by hand still run.
  }
  const versions = Object.fromEntries(CONTROL_PLANE_TOOLS.map((tool) => [tool, recorded[tool] ?? 'unknown']));
  return { paths, versions };
}
