/**
 * `--confirm <backend>`: each finding's scenario file run again on a live backend, a few times,
 * with the live timing profile; how often the same variant breaks the same oracle the same way
 * is the sim/live agreement of the finding.
 */
import type { Backend } from '../backends/backend.ts';
import { checkOracles } from '../check/oracles.ts';
import type { FindingRecord } from '../record/explore-record.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { signatureOf } from './evaluate.ts';

export async function confirmFinding(finding: FindingRecord, file: string, options: { backend: Backend; runs: number; workDir: string; onProgress: (message: string) => void; signal?: AbortSignal }): Promise<NonNullable<FindingRecord['confirmed']>> {
  const scenario = await loadScenarioFile(file);
  const variants = finding.certificate.map((entry) => entry.variant);
  let reproduced = 0;
  const notes: string[] = [];
  for (let attempt = 1; attempt <= options.runs; attempt++) {
    if (options.signal?.aborted) break;
    options.onProgress(`confirming ${finding.signature} on ${options.backend.name} (${attempt}/${options.runs})`);
    const run = await runScenario(scenario, { backend: options.backend, variants, seed: attempt, profile: 'fast', runDir: `${options.workDir}/confirm-${attempt}`, onProgress: options.onProgress, signal: options.signal });
    const violations = run.apps.flatMap((app) => checkOracles(run, finding.variant, app, [{ name: finding.oracle }]));
    if (violations.some((violation) => signatureOf(violation) === finding.signature)) reproduced += 1;
    else notes.push(`run ${attempt}: ${violations.map((violation) => violation.signature).join('; ') || `${finding.variant} held ${finding.oracle}`}`);
  }
  return { backend: options.backend.name, runs: options.runs, reproduced, notes };
}
