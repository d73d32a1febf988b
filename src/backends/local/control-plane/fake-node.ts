import { CoreV1Api, type V1Node } from '@kubernetes/client-node';
import { statusOf, tokenKubeConfig, type ApiAccess } from '../../shared/kube-access.ts';
import { FAKE_NODE_ANNOTATION } from '../../shared/kwok-restart.ts';

/** The one node kwok simulates. Untainted, so plain Deployments schedule onto it. */
export const FAKE_NODE_NAME = 'statuschaos-node';

/** Creates the fake node object (kwok selects it by annotation and fills in its status); already existing is fine. */
export async function createFakeNode(access: ApiAccess, name = FAKE_NODE_NAME): Promise<void> {
  const core = tokenKubeConfig(access).makeApiClient(CoreV1Api);
  const node: V1Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [FAKE_NODE_ANNOTATION]: 'true', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
    },
    spec: {},
  };
  try {
    await core.createNode({ body: node });
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
  }
}

/** Returns true once the node reports condition Ready=True; throws with what it saw otherwise. */
export async function isNodeReady(access: ApiAccess, name = FAKE_NODE_NAME): Promise<true> {
  const core = tokenKubeConfig(access).makeApiClient(CoreV1Api);
  const node = await core.readNode({ name });
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return true;
  throw new Error(`node ${name} is not Ready yet (Ready=${ready?.status ?? 'absent'})`);
}
