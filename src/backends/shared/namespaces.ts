/** The namespaces a live run makes: their names, the label that marks them as the harness's, their deletion. */
import { createHash } from 'node:crypto';
import type { Scenario } from '../../scenario/types.ts';
import type { ApiClients } from './kube-access.ts';

/** Label on every namespace the harness creates; the kubeconfig backend touches nothing without it. */
export const OWNER_LABEL = 'statuschaos.io/owner';

/** Delete a namespace and wait (bounded) until the API no longer has it; `waitMs` 0: only ask. */
export async function deleteNamespace(admin: ApiClients, name: string, waitMs: number): Promise<void> {
  const gone = (error: unknown) => (error as { code?: number }).code === 404;
  try {
    await admin.core.deleteNamespace({ name });
  } catch (error) {
    if (gone(error)) return;
    throw error;
  }
  if (waitMs === 0) return;
  const deadline = performance.now() + waitMs;
  while (performance.now() < deadline) {
    try {
      await admin.core.readNamespace({ name });
    } catch (error) {
      if (gone(error)) return;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`namespace ${name} is still terminating after ${waitMs / 1000} s`);
}

/** A namespace name unique to this run and scenario, valid for Kubernetes. */
export function scenarioNamespace(runId: string, scenario: Scenario, seed: number): string {
  const hash = createHash('sha256').update(`${runId}/${scenario.name}/${seed}`).digest('hex').slice(0, 8);
  const base = scenario.name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'scenario';
  return `sc-${base}-${hash}`;
}
