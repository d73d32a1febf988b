/**
 * `--confirm <local|real>`: each finding's scenario file run again on the local control plane, a
 * few times. `local`: the same models, with the live timing profile; how often the same variant
 * breaks the same oracle the same way is the sim/live agreement of the finding. `real`: the
 * finding's variant replaced by the real tracker it models (v2.1.3 → real-2.1.3: StreamPark's own
 * code), at StreamPark's timing; how often StreamPark's own code breaks the oracle the same way.
 */
import type { Backend } from '../backends/backend.ts';
import { checkOracles } from '../check/oracles.ts';
import type { FindingRecord } from '../record/explore-record.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { realCounterpartOf } from '../trackers/registry.ts';
import { signatureOf } from './evaluate.ts';

export type ConfirmMode = 'local' | 'real';

export async function confirmFinding(finding: FindingRecord, file: string, options: { backend: Backend; mode: ConfirmMode; runs: number; workDir: string; onProgress: (message: string) => void; signal?: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<NonNullable<FindingRecord['confirmed']>> {
  const scenario = await loadScenarioFile(file);
  const real = options.mode === 'real' ? realCounterpartOf(finding.variant) : undefined;
  if (options.mode === 'real' && real === undefined) return { backend: options.backend.name, runs: 0, reproduced: 0, notes: [`no real tracker runs the code ${finding.variant} models: not confirmed`] };
  // the tracker that runs, and the variants beside it (the certificate's, for a sim/live comparison)
  const judged = real?.name ?? finding.variant;
  const variants = real === undefined ? finding.certificate.map((entry) => entry.variant) : [real.name];
  let reproduced = 0;
  const notes: string[] = [];
  let version: string | undefined;
  for (let attempt = 1; attempt <= options.runs; attempt++) {
    if (options.signal?.aborted) break;
    options.onProgress(`confirming ${finding.signature} with ${judged} on ${options.backend.name} (${attempt}/${options.runs})`);
    const run = await runScenario(scenario, { backend: options.backend, variants, seed: attempt, profile: real === undefined ? 'fast' : 'streampark', runDir: `${options.workDir}/confirm-${attempt}`, onProgress: options.onProgress, signal: options.signal, ...(options.env ? { env: options.env } : {}) });
    version ??= run.trackers?.[judged]?.version;
    const failure = run.lanes.variants[judged]?.failure;
    if (failure !== undefined) {
      notes.push(`run ${attempt}: ${judged} broke: ${failure.reason}`);
      continue;
    }
    // the signature as the model's: the same oracle broken the same way
    const violations = run.apps.flatMap((app) => checkOracles(run, judged, app, [{ name: finding.oracle }])).map((violation) => ({ ...violation, variant: finding.variant }));
    if (violations.some((violation) => signatureOf(violation) === finding.signature)) reproduced += 1;
    else notes.push(`run ${attempt}: ${violations.map((violation) => violation.signature).join('; ') || `${judged} held ${finding.oracle}`}`);
  }
  return { backend: options.backend.name, runs: options.runs, reproduced, notes, ...(real !== undefined ? { tracker: real.name, ...(version !== undefined ? { version } : {}) } : {}) };
}
