// The namespace fence's rules, one row per rule: which requests of the harness's own client may
// leave the process. (The live test proves the fence sits in front of every real call.)
import { describe, expect, test } from 'vitest';
import { NamespaceFence } from '../../../src/backends/kubeconfig/namespace-fence.ts';
import { OWNER_LABEL } from '../../../src/backends/shared/live-session.ts';

const SERVER = 'https://127.0.0.1:6443';
const RUN = 'run-abc123';

function fence(): NamespaceFence {
  const made = new NamespaceFence(RUN);
  made.adopt({ metadata: { name: 'sc-mine', labels: { [OWNER_LABEL]: RUN } } });
  made.adopt({ metadata: { name: 'sc-not-labelled' } }); // the API answered without our label: not ours
  return made;
}

const namespaceBody = (labels?: Record<string, string>) => JSON.stringify({ metadata: { name: 'sc-new', ...(labels ? { labels } : {}) } });

describe('NamespaceFence', () => {
  test.for([
    ['create a namespace with the run label', 'POST', '/api/v1/namespaces', namespaceBody({ [OWNER_LABEL]: RUN }), true],
    ['create a namespace without a label', 'POST', '/api/v1/namespaces', namespaceBody(), false],
    ['create a namespace with another run\'s label', 'POST', '/api/v1/namespaces', namespaceBody({ [OWNER_LABEL]: 'run-other' }), false],
    ['read its own namespace', 'GET', '/api/v1/namespaces/sc-mine', undefined, true],
    ['delete its own namespace', 'DELETE', '/api/v1/namespaces/sc-mine', undefined, true],
    ['list pods in its namespace', 'GET', '/api/v1/namespaces/sc-mine/pods?labelSelector=app%3Dx', undefined, true],
    ['watch deployments in its namespace', 'GET', '/apis/apps/v1/namespaces/sc-mine/deployments?watch=true', undefined, true],
    ['patch a pod in its namespace', 'PATCH', '/api/v1/namespaces/sc-mine/pods/jm-0', '{}', true],
    ['anything in default', 'GET', '/api/v1/namespaces/default/pods', undefined, false],
    ['delete kube-system', 'DELETE', '/api/v1/namespaces/kube-system', undefined, false],
    ['a deployment in kube-system', 'DELETE', '/apis/apps/v1/namespaces/kube-system/deployments/coredns', undefined, false],
    ['a namespace created without our label', 'GET', '/api/v1/namespaces/sc-not-labelled/pods', undefined, false],
    ['a look-alike name', 'GET', '/api/v1/namespaces/sc-mine-2/pods', undefined, false],
    ['list every namespace', 'GET', '/api/v1/namespaces', undefined, false],
    ['pods of every namespace', 'GET', '/api/v1/pods', undefined, false],
    ['read a node', 'GET', '/api/v1/nodes/worker-1', undefined, true],
    ['list nodes', 'GET', '/api/v1/nodes', undefined, false],
    ['delete a node', 'DELETE', '/api/v1/nodes/worker-1', undefined, false],
    ['the version', 'GET', '/version/', undefined, true],
    ['cluster roles', 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles', undefined, false],
  ] as const)('%s → %s', ([, method, path, body, allowed]) => {
    const reason = fence().check(method, `${SERVER}${path}`, body);
    if (allowed) expect(reason).toBeUndefined();
    else expect(reason).toMatch(/./);
  });

  test('a refusal names the request and the label it looks for', () => {
    expect(() => fence().assertAllowed('GET', `${SERVER}/api/v1/namespaces/default/pods`, undefined)).toThrow(
      `refused GET /api/v1/namespaces/default/pods: namespace \`default\` was not created by this run (label ${OWNER_LABEL}=${RUN})`,
    );
    expect(() => fence().assertOwned('kube-system', 'kubectl exec')).toThrow(/refused kubectl exec in namespace `kube-system`/);
  });
});
