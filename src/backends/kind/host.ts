/**
 * What this host lets kind do, read rather than guessed, and the workarounds the backend applies
 * VISIBLY when it must (docs/kind.md, "Hosts kind cannot use as they are"):
 * - `--privileged` asks Docker for every capability; where the capability bounding set lacks one
 *   (this project's VMs lack CAP_SYS_RESOURCE), runc refuses the node container. A `docker`
 *   shim first on kind's PATH rewrites kind's `--privileged` into the capabilities the host has,
 *   the devices and unconfined paths --privileged would give, and starts the node through an
 *   entrypoint that makes /sys and the cgroup hierarchies writable (the node image carries it).
 *   The node's containerd then may not raise OOM scores: `restrict_oom_score_adj`.
 * - cgroup v1: kubelet 1.37 refuses it unless `failCgroupV1: false`.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

/** Linux capability names by number (capability.h); Docker 20.10 knows up to AUDIT_READ (37). */
const CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW',
  'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD',
  'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
] as const;
/** The newest capability Docker 20.10 accepts in --cap-add (it rejects PERFMON, BPF, CHECKPOINT_RESTORE). */
const DOCKER_KNOWN = CAPABILITIES.indexOf('AUDIT_READ');
const dockerKnows = (name: string) => (CAPABILITIES as readonly string[]).indexOf(name) <= DOCKER_KNOWN;

export interface HostFacts {
  /** capabilities Docker's --privileged asks for that this host's bounding set lacks (empty: --privileged works) */
  missingCapabilities: string[];
  /** capabilities to add instead of --privileged */
  availableCapabilities: string[];
  cgroupV1: boolean;
}

/** The capabilities in a `CapBnd` mask (hex), up to `lastCap`. */
export function capabilitiesIn(mask: string, lastCap: number): { present: string[]; missing: string[] } {
  const bits = BigInt(`0x${mask}`);
  const present: string[] = [];
  const missing: string[] = [];
  for (let cap = 0; cap <= Math.min(lastCap, CAPABILITIES.length - 1); cap++) ((bits >> BigInt(cap)) & 1n ? present : missing).push(CAPABILITIES[cap]!);
  return { present, missing };
}

/** Read this host's capability bounding set and cgroup version. */
export async function readHostFacts(): Promise<HostFacts> {
  const status = await readFile('/proc/self/status', 'utf8');
  const mask = /^CapBnd:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? 'ffffffffff';
  const lastCap = Number((await readFile('/proc/sys/kernel/cap_last_cap', 'utf8').catch(() => '40')).trim());
  const { present, missing } = capabilitiesIn(mask, lastCap);
  const fsType = await execa('stat', ['-fc', '%T', '/sys/fs/cgroup'], { reject: false });
  return {
    missingCapabilities: missing.filter(dockerKnows),
    availableCapabilities: present.filter(dockerKnows),
    cgroupV1: fsType.stdout.trim() !== 'cgroup2fs',
  };
}

/** The entrypoint the node image carries for nodes started without --privileged (scripts/tools/kind-node.mjs). */
export const UNPRIVILEGED_ENTRYPOINT = '/kind/bin/statuschaos-unprivileged-entrypoint';

/** The `docker` shim: bash, rewriting only `run … --privileged` and `exec --privileged`; everything else goes to `realDocker` untouched. */
export function dockerShimScript(realDocker: string, capabilities: readonly string[]): string {
  const replacement = [
    ...capabilities.map((cap) => `--cap-add=${cap}`),
    '--security-opt=systempaths=unconfined',
    "--device-cgroup-rule='a *:* rwm'",
    '--device=/dev/fuse',
    '--device=/dev/kmsg',
    `--entrypoint=${UNPRIVILEGED_ENTRYPOINT}`,
  ].join(' ');
  return `#!/usr/bin/env bash
# statuschaos: a docker shim first on kind's PATH (docs/kind.md, "Hosts kind cannot use as they are").
# This host's capability bounding set lacks what --privileged asks for, so runc refuses kind's
# node container. For \`docker run … --privileged … IMAGE\` it passes the capabilities the host has
# instead, the devices and paths --privileged would open, and kind's own entrypoint behind one
# that makes /sys and the cgroup hierarchies writable; \`docker exec --privileged\` runs with the
# container's capabilities. Every other call goes to ${realDocker} unchanged.
set -euo pipefail
real=${JSON.stringify(realDocker)}
if [[ "\${1-}" == run || "\${1-}" == exec ]]; then
  privileged=0
  for arg in "$@"; do [[ "$arg" == --privileged ]] && privileged=1; done
  if [[ $privileged == 1 ]]; then
    args=()
    for arg in "$@"; do [[ "$arg" == --privileged ]] || args+=("$arg"); done
    if [[ "$1" == run ]]; then
      # kind puts the image last and no command after it: its entrypoint and command follow the image
      image="\${args[-1]}"
      unset 'args[-1]'
      eval "extra=(${replacement})"
      exec "$real" "\${args[@]}" "\${extra[@]}" "$image" /usr/local/bin/entrypoint /sbin/init
    fi
    exec "$real" "\${args[@]}"
  fi
fi
exec "$real" "$@"
`;
}

/** Writes the shim into `<dir>/docker` and resolves with the PATH kind runs with (the shim's folder first). */
export async function installDockerShim(dir: string, env: NodeJS.ProcessEnv, capabilities: readonly string[]): Promise<{ path: string; env: NodeJS.ProcessEnv }> {
  const found = await execa('sh', ['-c', 'command -v docker'], { env, reject: false });
  const realDocker = found.stdout.trim();
  if (found.exitCode !== 0 || realDocker === '') throw new Error('docker is not on PATH');
  await mkdir(dir, { recursive: true });
  const shim = join(dir, 'docker');
  await writeFile(shim, dockerShimScript(realDocker, capabilities));
  await chmod(shim, 0o755);
  return { path: shim, env: { ...env, PATH: `${dir}:${env.PATH ?? ''}` } };
}

/** The kind config patches this host needs (none on a host with every capability and cgroup v2). */
export function hostConfigPatches(facts: HostFacts): { kubeadm: string[]; containerd: string[] } {
  return {
    kubeadm: facts.cgroupV1 ? ['kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\n# statuschaos: this host has cgroup v1, which kubelet 1.37 refuses unless told (docs/kind.md)\nfailCgroupV1: false\n'] : [],
    containerd: facts.missingCapabilities.includes('SYS_RESOURCE') ? ['# statuschaos: without CAP_SYS_RESOURCE the node cannot raise OOM scores (docs/kind.md)\n[plugins."io.containerd.grpc.v1.cri"]\n  restrict_oom_score_adj = true\n'] : [],
  };
}
