// The whole scenario library on the simulation and on a real kind cluster (the node image `npm
// run tools` built; a real kubelet restarting the REST stub's container, crash loops under its
// back-off, real pod deletion and Services), both at the fast profile: every verdict must pass on
// both and the traces agree as in the local conformance test (test/support/conformance.ts). The
// scenarios kind does not offer are named here with the reason (docs/kind.md). Afterwards nothing
// the run made is left: no cluster, no node container, no network kind made for it, no image the
// run built.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { kindBackend } from '../../../src/backends/kind/backend.ts';
import { FAULT_TARGETS } from '../../../src/backends/backend.ts';
import { unsupportedOnStub } from '../../../src/backends/kind/workload.ts';
import { runConformance } from '../../support/conformance.ts';
import { missingKind, withDockerEngine } from '../../support/kind.ts';

const missing = await missingKind();
/**
 * Opt-in, because it does not hold yet (docs/kind.md, "Conformance"): at the fast profile kind's
 * own wall-clock times (the `kubectl exec` before a kill, a connection to a JobManager that is not
 * ready hanging for the kernel's SYN retries) are ten times longer in scenario time, and on a
 * loaded machine its REST answers take up to a second. `all`: every scenario kind offers.
 * `kubelet`: only those where kind's kubelet and pods act (a JobManager restarted, crash-looping,
 * deleted, evicted, its Deployment deleted). Unset: skipped, saying so (also on CI).
 */
const SCOPE = process.env.STATUSCHAOS_KIND_CONFORMANCE;
if (SCOPE === undefined) console.warn('skipping the sim-vs-kind conformance test: set STATUSCHAOS_KIND_CONFORMANCE=all or =kubelet to run it (docs/kind.md says why it is not run by default)');
const KUBELET_ACTIONS = new Set(['restart-jobmanager', 'crash-loop-jobmanager', 'delete-jobmanager-pod', 'evict-jobmanager-pod', 'delete-deployment']);
/** The library at the fast profile is about 11 minutes of scenario time; setup per scenario on a real kubelet, the cluster's creation. */
const BUDGET_MS = 30 * 60_000;

describe.skipIf(missing !== undefined || SCOPE === undefined)('sim and kind agree on the library', () => {
  test('every scenario kind offers: the same verdicts (all pass), the same traces; nothing left afterwards', { timeout: BUDGET_MS }, () => withDockerEngine(join(tmpdir(), `conformance-kind-dockerd-${process.pid}.log`), async () => {
    const offered = (scenario: Parameters<typeof unsupportedOnStub>[0]) => scenario.faults.every((fault) => FAULT_TARGETS.kind.includes(fault.spec.target)) && unsupportedOnStub(scenario) === undefined;
    let refused: string[] = [];
    const docker = async (args: string[]) => (await execa('docker', args)).stdout.trim().split('\n').filter(Boolean);
    const networksBefore = await docker(['network', 'ls', '--format', '{{.Name}}']);
    const imagesBefore = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    const { scenarios, sim, live, view, failures } = await runConformance('kind', (outDir) => lazyKind(outDir), (library) => {
      refused = library.filter((scenario) => !offered(scenario)).map((scenario) => scenario.name);
      const chosen = library.filter(offered);
      return SCOPE === 'kubelet' ? chosen.filter((scenario) => scenario.actions.some((action) => KUBELET_ACTIONS.has(action.action))) : chosen;
    });
    // the etcd target: kind's etcd is a static pod the API server reaches on the node's loopback (docs/kind.md)
    expect(refused).toEqual(['etcd-blip-during-restart', 'etcd-outage-during-restart']);
    expect(scenarios.length).toBeGreaterThanOrEqual(SCOPE === 'kubelet' ? 11 : 27);
    expect(failures(sim)).toEqual([]);
    expect(failures(live)).toEqual([]);
    expect(view(live)).toEqual(view(sim));
    expect(live.metadata.backend).toBe('kind');
    expect(live.metadata['kind node image']).toMatch(/^statuschaos\/kind-node:v1\.37\.2-/);

    expect(await docker(['ps', '-a', '--filter', 'label=io.x-k8s.kind.cluster', '--format', '{{.Names}}'])).toEqual([]);
    expect(await docker(['network', 'ls', '--format', '{{.Name}}'])).toEqual(networksBefore);
    expect(await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).toEqual(imagesBefore);
  }));
});

/** A kind backend created on first use (kindBackend checks its tools at once; the conformance helper asks per run). */
function lazyKind(outDir: string): import('../../../src/backends/backend.ts').Backend {
  let backend: ReturnType<typeof kindBackend> | undefined;
  const get = () => (backend ??= kindBackend({ env: process.env, workDir: outDir }));
  return {
    name: 'kind',
    open: async (scenario, options) => (await get()).open(scenario, options),
    shutdown: async () => (await get()).shutdown?.(),
  };
}
