/**
 * The `etcd` fault target on a live backend: the Toxiproxy proxy between kube-apiserver and etcd
 * that the control plane owns (docs/toxics.md, "The etcd target"), and the wait for the API
 * server to read etcd again once a fault is gone.
 */
import { BackendError } from '../backend.ts';
import type { ApiClients } from './kube-access.ts';
import { createProxySet, type ProxySet } from './toxiproxy/index.ts';

/**
 * How long to wait for the API server to answer again after an etcd fault: its etcd client
 * reconnects with a back-off that grows while etcd is away (measured: up to a minute after a
 * two-minute outage, test/fixtures/etcd-faults/measured.json).
 */
const ETCD_RECOVERY_WAIT_MS = 150_000;

/** The control plane's etcd proxy as a ProxySet, cleared of anything a harness that died left on it; a BackendError when there is none. */
export async function adoptEtcdProxy(etcd: { apiUrl: string; name: string } | undefined, scenarioName: string): Promise<ProxySet> {
  if (etcd === undefined) {
    throw new BackendError(`${scenarioName} faults etcd, and this backend has no proxy between its API server and etcd`, { hint: 'use --backend local (a control plane from an older `statuschaos cluster up` lacks it: run `cluster down` and `cluster up` again)' });
  }
  const set = await createProxySet({ apiUrl: etcd.apiUrl, upstreams: {}, adopt: { etcd: etcd.name } });
  // The server is the control plane's own and holds this proxy only, so a reset touches nothing else.
  if (Object.values(await set.listActiveToxics()).some((toxics) => toxics.length > 0)) await set.resetAll();
  return set;
}

/** Resolves once the API server answers a read that needs etcd (bounded: ETCD_RECOVERY_WAIT_MS). */
export async function waitForEtcdReads(admin: ApiClients, namespace: string): Promise<void> {
  const deadline = performance.now() + ETCD_RECOVERY_WAIT_MS;
  for (;;) {
    try {
      await admin.core.readNamespace({ name: namespace }); // while etcd is away kube-apiserver holds it until etcd answers (at most its 60 s)
      return;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return;
      if (performance.now() > deadline) throw new Error(`the API server did not answer reads ${ETCD_RECOVERY_WAIT_MS / 1000} s after the etcd fault was removed: ${error instanceof Error ? error.message : String(error)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
