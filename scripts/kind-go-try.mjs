import { $ } from 'zx';
import { buildKindGoBinaries } from './tools/kind-go.mjs';
$.verbose = false; $.quiet = true;
const env = { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOWORK: 'off' };
const goEnv = { GOVERSION: (await $`go env GOVERSION`).stdout.trim(), GOOS: 'linux', GOARCH: 'amd64', env };
const t = performance.now();
console.log(await buildKindGoBinaries({ cacheRoot: process.env.STATUSCHAOS_TOOLS_CACHE, goEnv }));
console.log('total', ((performance.now() - t) / 1000).toFixed(1));
