// What the kind backend reads from the host and what it does about it: the capabilities
// --privileged would ask for, the docker shim's rewriting (run with a stand-in for the real
// docker that prints its arguments), and the config patches for cgroup v1 and CAP_SYS_RESOURCE.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_KIND_CONFIG, effectiveKindConfig, loadKindConfig } from '../../../src/backends/kind/config.ts';
import { capabilitiesIn, hostConfigPatches, installDockerShim, UNPRIVILEGED_ENTRYPOINT } from '../../../src/backends/kind/host.ts';

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'statuschaos-kind-host-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

test('this project\'s VMs (CapBnd 000001fffeffffff) lack CAP_SYS_RESOURCE only; a full set lacks nothing', () => {
  const vm = capabilitiesIn('000001fffeffffff', 40);
  expect(vm.missing).toEqual(['SYS_RESOURCE']);
  expect(vm.present).toContain('SYS_ADMIN');
  expect(vm.present).toHaveLength(40);
  expect(capabilitiesIn('000001ffffffffff', 40).missing).toEqual([]);
});

describe('the docker shim', () => {
  let env: NodeJS.ProcessEnv;
  let shim: string;
  beforeAll(async () => {
    // the "real" docker: prints each argument on a line of its own
    const real = join(dir, 'real');
    await execa('mkdir', ['-p', real]);
    await writeFile(join(real, 'docker'), '#!/bin/sh\nfor arg in "$@"; do echo "$arg"; done\n', { mode: 0o755 });
    const installed = await installDockerShim(join(dir, 'shim'), { PATH: `${real}:/usr/bin:/bin` }, ['CHOWN', 'SYS_ADMIN']);
    env = installed.env;
    shim = installed.path;
  });
  const run = async (...args: string[]) => (await execa(shim, args, { env })).stdout.split('\n');

  test('`docker run … --privileged … IMAGE` becomes explicit capabilities, the devices and paths, and kind\'s entrypoint behind the unprivileged one', async () => {
    const args = await run('run', '--name', 'n', '--privileged', '--security-opt', 'seccomp=unconfined', '--label', 'a=b', 'statuschaos/kind-node:x');
    expect(args).not.toContain('--privileged');
    expect(args.slice(0, 7)).toEqual(['run', '--name', 'n', '--security-opt', 'seccomp=unconfined', '--label', 'a=b']);
    expect(args).toContain('--cap-add=CHOWN');
    expect(args).toContain('--cap-add=SYS_ADMIN');
    expect(args).not.toContain('--cap-add=SYS_RESOURCE');
    expect(args).toEqual(expect.arrayContaining(['--security-opt=systempaths=unconfined', '--device-cgroup-rule=a *:* rwm', '--device=/dev/fuse', '--device=/dev/kmsg', `--entrypoint=${UNPRIVILEGED_ENTRYPOINT}`]));
    expect(args.slice(-3)).toEqual(['statuschaos/kind-node:x', '/usr/local/bin/entrypoint', '/sbin/init']);
  });

  test('`docker exec --privileged` runs with the container\'s capabilities; anything else passes unchanged', async () => {
    expect(await run('exec', '--privileged', '-i', 'node', 'ctr', 'images', 'import', '-')).toEqual(['exec', '-i', 'node', 'ctr', 'images', 'import', '-']);
    expect(await run('run', '--rm', 'img', 'echo', '--privileged-looking')).toEqual(['run', '--rm', 'img', 'echo', '--privileged-looking']);
    expect(await run('ps', '-a', '--filter', 'label=x y')).toEqual(['ps', '-a', '--filter', 'label=x y']);
  });
});

test('cgroup v1 and a missing CAP_SYS_RESOURCE become kind config patches; a full host needs none, and kind gets the file itself', async () => {
  const full = hostConfigPatches({ missingCapabilities: [], availableCapabilities: [], cgroupV1: false });
  expect(full).toEqual({ kubeadm: [], containerd: [] });
  const config = await loadKindConfig(DEFAULT_KIND_CONFIG);
  expect(await effectiveKindConfig(config, full, join(dir, 'unused.yaml'))).toBe(DEFAULT_KIND_CONFIG);

  const vm = hostConfigPatches({ missingCapabilities: ['SYS_RESOURCE'], availableCapabilities: [], cgroupV1: true });
  const written = await effectiveKindConfig(config, vm, join(dir, 'cluster-config.yaml'));
  const document = parse(await readFile(written, 'utf8')) as { name: string; nodes: unknown[]; kubeadmConfigPatches: string[]; containerdConfigPatches: string[] };
  expect(document.name).toBe('statuschaos');
  expect(document.nodes).toEqual((parse(await readFile(DEFAULT_KIND_CONFIG, 'utf8')) as { nodes: unknown[] }).nodes);
  expect(parse(document.kubeadmConfigPatches[0]!)).toEqual({ kind: 'KubeletConfiguration', apiVersion: 'kubelet.config.k8s.io/v1beta1', failCgroupV1: false });
  expect(document.containerdConfigPatches[0]).toMatch(/^\[plugins\."io\.containerd\.grpc\.v1\.cri"\]\n {2}restrict_oom_score_adj = true$/m);
});
