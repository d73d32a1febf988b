/**
 * `reproduce --certify-real`: the fix certificate with StreamPark's own code. Each explanation's
 * scenario file runs once more, on the local control plane at StreamPark's timing, with the real
 * trackers (real-2.1.3, real-2.1.4: StreamPark's console classes in a JVM, docs/trackers.md); each
 * gets a certificate entry of its own — would that release have shown the truth in the same
 * schedule — beside the models'. A real tracker that broke off gets no verdict, only its reason.
 */
import type { Backend } from '../backends/backend.ts';
import { checkOracles } from '../check/oracles.ts';
import type { CertificateRecord } from '../record/reproduce-record.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { normalizeTrace } from '../scenario/trace-pattern.ts';
import { REAL_STREAMPARK_TRACKERS } from '../trackers/streampark-real/plugins.ts';
import { TRUTH_ORACLES } from './batch.ts';

/** The real trackers a certificate runs. */
export const REAL_CERTIFIERS: readonly string[] = REAL_STREAMPARK_TRACKERS.map((tracker) => tracker.name);

export async function certifyReal(file: string, job: string, options: { backend: Backend; workDir: string; onProgress: (message: string) => void; signal?: AbortSignal; env: NodeJS.ProcessEnv }): Promise<CertificateRecord[]> {
  const scenario = await loadScenarioFile(file);
  const run = await runScenario(scenario, { backend: options.backend, variants: [...REAL_CERTIFIERS], seed: 1, profile: 'streampark', runDir: options.workDir, onProgress: options.onProgress, env: options.env, ...(options.signal ? { signal: options.signal } : {}) });
  return REAL_CERTIFIERS.map((variant): CertificateRecord => {
    const lane = run.lanes.variants[variant];
    const version = run.trackers?.[variant]?.version;
    const trace = normalizeTrace(lane?.writes.filter((write) => write.app === job).map((write) => write.state) ?? []);
    const common = { variant, kind: 'real' as const, trace, ...(version !== undefined ? { version } : {}) };
    if (run.error !== undefined || lane?.failure !== undefined) return { ...common, showsTruth: false, violations: [], failure: lane?.failure?.reason ?? run.error ?? 'the run broke off' };
    const violations = checkOracles(run, variant, job, TRUTH_ORACLES);
    return { ...common, showsTruth: violations.length === 0, violations: violations.map((violation) => `${violation.oracle}: ${violation.message}`) };
  });
}
