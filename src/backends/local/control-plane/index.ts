/** The local backend's control plane: real Kubernetes components on 127.0.0.1 and kwok for the node and its pods. */
export { startControlPlane, stopRank, type ControlPlane, type EtcdProxy, type StartControlPlaneOptions } from './control-plane.ts';
export { ControlPlaneError } from './errors.ts';
export { FAKE_NODE_NAME } from './fake-node.ts';
export { CONTROL_PLANE_TOOLS } from './tools.ts';
