// The namespace fence's rules, one row per rule: which requests of the harness's own client may
// leave the process. (The live test proves the fence sits in front of every real call.)
import { describe, expect, test } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { FencedKubeConfig, NamespaceFence } from '../../../src/backends/kubeconfig/namespace-fence.ts';
import { OWNER_LABEL } from '../../../src/backends/shared/namespaces.ts';

const SERVER = 'https://127.0.0.1:6443';
const RUN = 'run-abc123';

function fence(): NamespaceFence {
  const made = new NamespaceFence(RUN);
  made.adopt({ metadata: { name: 'sc-mine', labels: { [OWNER_LABEL]: RUN } } });
  made.adopt({ metadata: { name: 'sc-not-labelled' } }); // the API answered without our label: not ours
  return made;
}

const namespaceBody = (labels?: Record<string, string>) => JSON.stringify({ metadata: { name: 'sc-new', ...(labels ? { labels } : {}) } });

// why a call is refused: a namespace created without the run's label, a namespace the run did
// not create, or a path outside any namespace that is not one of the few cluster-wide reads
const NO_LABEL = /^creating a namespace without the label /;
const NOT_OURS = /^namespace `[^`]+` was not created by this run/;
const OUTSIDE = / is outside the run's namespaces$/;

describe('NamespaceFence', () => {
  test.for([
    ['create a namespace with the run label', 'POST', '/api/v1/namespaces', namespaceBody({ [OWNER_LABEL]: RUN }), undefined],
    ['create a namespace without a label', 'POST', '/api/v1/namespaces', namespaceBody(), NO_LABEL],
    ['create a namespace with another run\'s label', 'POST', '/api/v1/namespaces', namespaceBody({ [OWNER_LABEL]: 'run-other' }), NO_LABEL],
    ['read its own namespace', 'GET', '/api/v1/namespaces/sc-mine', undefined, undefined],
    ['delete its own namespace', 'DELETE', '/api/v1/namespaces/sc-mine', undefined, undefined],
    ['list pods in its namespace', 'GET', '/api/v1/namespaces/sc-mine/pods?labelSelector=app%3Dx', undefined, undefined],
    ['watch deployments in its namespace', 'GET', '/apis/apps/v1/namespaces/sc-mine/deployments?watch=true', undefined, undefined],
    ['patch a pod in its namespace', 'PATCH', '/api/v1/namespaces/sc-mine/pods/jm-0', '{}', undefined],
    ['anything in default', 'GET', '/api/v1/namespaces/default/pods', undefined, NOT_OURS],
    ['delete kube-system', 'DELETE', '/api/v1/namespaces/kube-system', undefined, NOT_OURS],
    ['a deployment in kube-system', 'DELETE', '/apis/apps/v1/namespaces/kube-system/deployments/coredns', undefined, NOT_OURS],
    ['a namespace created without our label', 'GET', '/api/v1/namespaces/sc-not-labelled/pods', undefined, NOT_OURS],
    ['a look-alike name', 'GET', '/api/v1/namespaces/sc-mine-2/pods', undefined, NOT_OURS],
    ['list every namespace', 'GET', '/api/v1/namespaces', undefined, OUTSIDE],
    ['pods of every namespace', 'GET', '/api/v1/pods', undefined, OUTSIDE],
    ['read a node', 'GET', '/api/v1/nodes/worker-1', undefined, undefined],
    ['list nodes', 'GET', '/api/v1/nodes', undefined, OUTSIDE],
    ['delete a node', 'DELETE', '/api/v1/nodes/worker-1', undefined, OUTSIDE],
    ['the version', 'GET', '/version/', undefined, undefined],
    ['cluster roles', 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles', undefined, OUTSIDE],
  ] as const)('%s → %s', ([, method, path, body, refusal]) => {
    const reason = fence().check(method, `${SERVER}${path}`, body);
    if (refusal === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(refusal);
  });

  test('a refusal names the request and the label it looks for', () => {
    expect(() => fence().assertAllowed('GET', `${SERVER}/api/v1/namespaces/default/pods`, undefined)).toThrow(
      `refused GET /api/v1/namespaces/default/pods: namespace \`default\` was not created by this run (label ${OWNER_LABEL}=${RUN})`,
    );
    expect(() => fence().assertOwned('kube-system', 'kubectl exec')).toThrow(/refused kubectl exec in namespace `kube-system`/);
  });
});

// The trackers' own client: StreamPark's tracker only reads deployments, pods (and their logs),
// services and ingresses, so its client may only read, and only in the run's namespaces.
describe("the trackers' client (read-only fence)", () => {
  const READ_ONLY = /^the trackers' client only reads/;
  test.for([
    ['read a deployment in its namespace', 'GET', '/apis/apps/v1/namespaces/sc-mine/deployments/flink-demo', undefined],
    ['list pods in its namespace', 'GET', '/api/v1/namespaces/sc-mine/pods?labelSelector=app%3Dx', undefined],
    ['a pod log in its namespace', 'GET', '/api/v1/namespaces/sc-mine/pods/jm-0/log?previous=true', undefined],
    ['a pod log elsewhere (the admin credentials could read any)', 'GET', '/api/v1/namespaces/kube-system/pods/etcd-0/log', NOT_OURS],
    ['secrets of another namespace', 'GET', '/api/v1/namespaces/default/secrets', NOT_OURS],
    ['nodes, which the harness itself may read', 'GET', '/api/v1/nodes/worker-1', OUTSIDE],
    ['deleting in its namespace', 'DELETE', '/api/v1/namespaces/sc-mine/pods/jm-0', READ_ONLY],
    ['creating a namespace', 'POST', '/api/v1/namespaces', READ_ONLY],
  ] as const)('%s', ([, method, path, refusal]) => {
    const reason = fence().checkRead(method, `${SERVER}${path}`);
    if (refusal === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(refusal);
  });

  test('the fenced reader config refuses before anything is sent, naming the trackers\' client', async () => {
    const config = new FencedKubeConfig(fence(), { reader: true });
    config.loadFromOptions({ clusters: [{ name: 'c', server: SERVER }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    const logs = config.makeApiClient(CoreV1Api);
    await expect(logs.readNamespacedPodLog({ name: 'etcd-0', namespace: 'kube-system' })).rejects.toThrow(/refused GET \/api\/v1\/namespaces\/kube-system\/pods\/etcd-0\/log \(trackers' client\): namespace `kube-system` was not created by this run/);
  });
});
