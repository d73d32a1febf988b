/**
 * Command lines of the control plane's processes, as pure functions of their settings, so that a
 * reader sees every flag in one place. Every listener binds 127.0.0.1 only.
 */
import { FAKE_NODE_ANNOTATION } from '../../shared/kwok-restart.ts';

export interface EtcdSettings {
  dataDir: string;
  clientPort: number;
  peerPort: number;
}

/** etcd: a single member, loopback only, no fsync (the data is thrown away after the run). */
export function etcdArgs(s: EtcdSettings): string[] {
  const client = `http://127.0.0.1:${s.clientPort}`;
  const peer = `http://127.0.0.1:${s.peerPort}`;
  return [
    '--name=statuschaos',
    `--data-dir=${s.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=statuschaos=${peer}`,
    '--initial-cluster-state=new',
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export interface EtcdProxySettings {
  /** Toxiproxy's API port */
  apiPort: number;
  /** its startup config: the `etcd` proxy (etcdProxyConfig) */
  configPath: string;
}

/** The name of the Toxiproxy proxy between kube-apiserver and etcd (the `etcd` fault target). */
export const ETCD_PROXY_NAME = 'etcd';

/**
 * The control plane's own toxiproxy-server, in front of etcd, so that kube-apiserver reaches etcd
 * only through it and a scenario can fault that path. It lives as long as the control plane (a
 * `cluster up` plane outlives every run), hence a server of its own rather than the per-run one.
 */
export function etcdProxyArgs(s: EtcdProxySettings): string[] {
  return ['-host', '127.0.0.1', '-port', String(s.apiPort), '-config', s.configPath];
}

/** The startup config of that server: one proxy, 127.0.0.1:`listenPort` → etcd's client port. */
export function etcdProxyConfig(s: { listenPort: number; etcdClientPort: number }): string {
  return JSON.stringify([{ name: ETCD_PROXY_NAME, listen: `127.0.0.1:${s.listenPort}`, upstream: `127.0.0.1:${s.etcdClientPort}`, enabled: true }]);
}

export interface ApiServerSettings {
  /** etcd as kube-apiserver reaches it: through the etcd proxy */
  etcdUrl: string;
  port: number;
  certDir: string;
  servingCertPath: string;
  servingKeyPath: string;
  tokenFilePath: string;
  serviceAccountPublicKeyPath: string;
  serviceAccountPrivateKeyPath: string;
}

/**
 * kube-apiserver: static-token authentication, RBAC authorization, and two admission plugins
 * disabled: ServiceAccount, because no controller creates the `default` ServiceAccount it would
 * require of every pod, and TaintNodesByCondition, because the not-ready taint it puts on new
 * nodes is only ever removed by the node-lifecycle controller, which does not run here.
 */
export function apiServerArgs(s: ApiServerSettings): string[] {
  return [
    `--etcd-servers=${s.etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${s.port}`,
    `--cert-dir=${s.certDir}`,
    `--tls-cert-file=${s.servingCertPath}`,
    `--tls-private-key-file=${s.servingKeyPath}`,
    `--token-auth-file=${s.tokenFilePath}`,
    '--anonymous-auth=false',
    '--authorization-mode=RBAC',
    '--disable-admission-plugins=ServiceAccount,TaintNodesByCondition',
    `--service-account-key-file=${s.serviceAccountPublicKeyPath}`,
    `--service-account-signing-key-file=${s.serviceAccountPrivateKeyPath}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-cluster-ip-range=10.96.0.0/16',
    // The `kubernetes` Service cannot point at a loopback address; nothing here needs it.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
  ];
}

export interface ComponentSettings {
  kubeconfigPath: string;
  port: number;
  servingCertPath: string;
  servingKeyPath: string;
}

/** Controllers the backend needs: a Deployment creates its ReplicaSet and pods; deletes cascade. */
export const CONTROLLERS = ['deployment', 'replicaset', 'garbagecollector', 'namespace'] as const;

/** kube-controller-manager: the controllers above only, no leader election, health on 127.0.0.1. */
export function controllerManagerArgs(s: ComponentSettings): string[] {
  return [
    `--kubeconfig=${s.kubeconfigPath}`,
    `--controllers=${CONTROLLERS.join(',')}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${s.port}`,
    `--tls-cert-file=${s.servingCertPath}`,
    `--tls-private-key-file=${s.servingKeyPath}`,
    '--profiling=false',
  ];
}

/** kube-scheduler: binds pods to the fake node, as in a real cluster (kwok does not schedule). */
export function schedulerArgs(s: ComponentSettings): string[] {
  return [
    `--kubeconfig=${s.kubeconfigPath}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${s.port}`,
    `--tls-cert-file=${s.servingCertPath}`,
    `--tls-private-key-file=${s.servingKeyPath}`,
    '--profiling=false',
  ];
}

export interface KwokSettings {
  kubeconfigPath: string;
  stageFiles: readonly string[];
}

/** kwok: manages only annotated nodes and their pods, with the Stages in clusters/local/stages. */
export function kwokArgs(s: KwokSettings): string[] {
  return [
    `--kubeconfig=${s.kubeconfigPath}`,
    '--manage-all-nodes=false',
    // The node's InternalIP and the pods' hostIP: everything runs on this machine.
    '--node-ip=127.0.0.1',
    `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=true`,
    ...s.stageFiles.map((file) => `--config=${file}`),
  ];
}
