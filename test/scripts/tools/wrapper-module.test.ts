import { describe, expect, test } from 'vitest';
import {
  etcdMainSource,
  goDirective,
  kubernetesVersionLdflags,
  replaceBlock,
  requiredVersion,
  stagingModules,
  stagingVersion,
  wrapperGoMod,
} from '../../../scripts/tools/wrapper-module.ts';

// A trimmed k8s.io/kubernetes go.mod: the shape of the real one, with its local staging replaces.
const KUBERNETES_GO_MOD = `// This is a generated file. Do not edit directly.
module k8s.io/kubernetes

go 1.26.0

require (
	go.etcd.io/etcd/client/v3 v3.7.0
	k8s.io/api v0.0.0
	k8s.io/client-go v0.0.0
)

require (
	go.etcd.io/etcd/server/v3 v3.7.0 // indirect
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/client-go => ./staging/src/k8s.io/client-go // the client
	k8s.io/kube-scheduler => ./staging/src/k8s.io/kube-scheduler
	github.com/example/fork => github.com/example/fork v1.2.3
)

replace k8s.io/kubectl => ./staging/src/k8s.io/kubectl
`;

describe('wrapper module generation', () => {
  test('the replace block pins every local staging module, and only those, to the published release', () => {
    expect(replaceBlock(KUBERNETES_GO_MOD, 'v1.37.2')).toBe(
      [
        'replace (',
        '\tk8s.io/api => k8s.io/api v0.37.2',
        '\tk8s.io/client-go => k8s.io/client-go v0.37.2',
        '\tk8s.io/kube-scheduler => k8s.io/kube-scheduler v0.37.2',
        '\tk8s.io/kubectl => k8s.io/kubectl v0.37.2',
        ')',
        '',
      ].join('\n'),
    );
  });

  test('a go.mod without staging replaces is refused', () => {
    expect(() => replaceBlock('module example.com/x\n\ngo 1.26\n', 'v1.37.2')).toThrow(/no `k8s.io\/X => .\/staging\/src\/k8s.io\/X` replace lines/);
  });

  test.for([
    ['v1.37.2', 'v0.37.2'],
    ['v1.30.14', 'v0.30.14'],
  ])('Kubernetes %s maps to staging release %s', ([kubernetes, staging]) => {
    expect(stagingVersion(kubernetes!)).toBe(staging);
  });

  test('a version that is not a Kubernetes release is refused with the value echoed', () => {
    expect(() => stagingVersion('1.37.2')).toThrow('Expected a Kubernetes release like `v1.37.2`, got `1.37.2`');
  });

  test('reads the go directive and a required version, direct or indirect', () => {
    expect(goDirective(KUBERNETES_GO_MOD)).toBe('1.26.0');
    expect(requiredVersion(KUBERNETES_GO_MOD, 'go.etcd.io/etcd/server/v3')).toBe('v3.7.0');
    expect(requiredVersion(KUBERNETES_GO_MOD, 'go.etcd.io/etcd/client/v3')).toBe('v3.7.0');
    expect(stagingModules(KUBERNETES_GO_MOD)).not.toContain('github.com/example/fork');
    expect(requiredVersion(KUBERNETES_GO_MOD, 'example.com/absent')).toBeUndefined();
  });

  test('the wrapper go.mod requires the given modules and carries the replace block', () => {
    const text = wrapperGoMod({
      module: 'statuschaos.local/toolbuild',
      goVersion: '1.26.0',
      requires: [{ path: 'k8s.io/kubernetes', version: 'v1.37.2' }],
      replace: replaceBlock(KUBERNETES_GO_MOD, 'v1.37.2'),
    });
    expect(text).toContain('module statuschaos.local/toolbuild\n\ngo 1.26.0\n');
    expect(text).toContain('require (\n\tk8s.io/kubernetes v1.37.2\n)');
    expect(text).toContain('\tk8s.io/kubectl => k8s.io/kubectl v0.37.2\n');
  });

  test('version ldflags set both version packages', () => {
    const flags = kubernetesVersionLdflags('v1.37.2', '2026-10-27T12:01:04Z');
    expect(flags).toContain('-X k8s.io/component-base/version.gitVersion=v1.37.2');
    expect(flags).toContain('-X k8s.io/client-go/pkg/version.gitMinor=37');
    expect(flags).toContain('-X k8s.io/client-go/pkg/version.buildDate=2026-10-27T12:01:04Z');
    expect(flags).toHaveLength(10);
  });

  test('the etcd entry point calls etcdmain.Main with the process arguments', () => {
    expect(etcdMainSource()).toContain('etcdmain.Main(os.Args)');
  });
});
