// The kind config file: the cluster's name and where its NodePorts appear on this machine.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEFAULT_KIND_CONFIG, kindConfigPath, loadKindConfig } from '../../../src/backends/kind/config.ts';
import { UserError } from '../../../src/errors/user-error.ts';

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'statuschaos-kind-config-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

test('the project config: cluster statuschaos, REST NodePort on 127.0.0.1:30081, stub control on 127.0.0.1:30082', async () => {
  expect(kindConfigPath({})).toBe(DEFAULT_KIND_CONFIG);
  expect(await loadKindConfig(DEFAULT_KIND_CONFIG)).toEqual({ path: DEFAULT_KIND_CONFIG, name: 'statuschaos', restAddress: '127.0.0.1:30081', controlAddress: '127.0.0.1:30082', nodeImages: false });
});

test('STATUSCHAOS_KIND_CONFIG points at another file, whose host ports are used', async () => {
  const file = join(dir, 'other.yaml');
  await writeFile(file, 'kind: Cluster\nname: mine\nnodes:\n  - role: control-plane\n    extraPortMappings:\n      - { containerPort: 30081, hostPort: 40081 }\n      - { containerPort: 30082, hostPort: 40082, listenAddress: 127.0.0.2 }\n');
  expect(kindConfigPath({ STATUSCHAOS_KIND_CONFIG: file })).toBe(file);
  expect(await loadKindConfig(file)).toMatchObject({ name: 'mine', restAddress: '127.0.0.1:40081', controlAddress: '127.0.0.2:40082' });
});

test.for([
  ['no name', 'kind: Cluster\nnodes: []\n', /needs a `name`/],
  ['no REST mapping', 'name: x\nnodes:\n  - extraPortMappings: [{ containerPort: 30082, hostPort: 30082 }]\n', /maps no host port to containerPort 30081 \(the Flink REST NodePort\)/],
  ['API server off loopback', 'name: x\nnetworking: { apiServerAddress: 0.0.0.0 }\n', /Expected `networking.apiServerAddress` to be 127.0.0.1, got `0.0.0.0`/],
  ['not YAML', 'name: [\n', /cannot read the kind config/],
])('%s is a user error naming the file', async ([, text, message]) => {
  const file = join(dir, 'bad.yaml');
  await writeFile(file, text as string);
  const error = await loadKindConfig(file).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).message).toMatch(message as RegExp);
  expect((error as UserError).location?.file).toBe(file);
});
