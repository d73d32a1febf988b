/** What the evidence import makes of a recording of scripts/record-kubectl-fixtures.mjs (the fixture's, or a fresh one). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evidenceFrom, type Evidence } from '../../src/reproduce/evidence.ts';
import { readKubectlFile } from '../../src/reproduce/kubectl-json.ts';

export interface Recording {
  clusterId: string;
  /** when the harness asked for each restart */
  asked: { action: string; reason: string; downtimeMs: number; at: string }[];
}

export async function restartEvidence(dir: string): Promise<{ recorded: Recording; evidence: Evidence }> {
  const recorded = JSON.parse(await readFile(join(dir, 'recorded.json'), 'utf8')) as Recording;
  const files = [await readKubectlFile(join(dir, 'restart-events.json')), await readKubectlFile(join(dir, 'restart-pods.json'))];
  return { recorded, evidence: evidenceFrom(files, recorded.clusterId) };
}

/** The restarts found, against the restarts asked for: their times apart (ms) and reasons. */
export function restartsAgainstAsked({ recorded, evidence }: Awaited<ReturnType<typeof restartEvidence>>) {
  const restarts = evidence.facts.filter((fact) => fact.fact === 'jobmanager-restart');
  return {
    count: restarts.length,
    others: evidence.facts.filter((fact) => fact.fact !== 'jobmanager-restart'),
    apartMs: restarts.map((restart, index) => Math.abs(restart.atMs - Date.parse(recorded.asked[index]?.at ?? ''))),
    reasons: restarts.map((restart) => restart.reason),
  };
}
