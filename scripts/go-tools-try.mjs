import { $, fs } from 'zx';
import { buildGoTools, goEnvironment } from '/work/wt-kind/scripts/tools/go-tools.mjs';
$.verbose = false; $.quiet = true;
const t = performance.now();
const r = await buildGoTools({ cacheRoot: '/root/.cache/statuschaos/tools', binDir: '/tmp/kindcold/bin', recorded: {}, goEnv: await goEnvironment(), withKind: true });
console.log(r.binaries, ((performance.now() - t) / 1000).toFixed(1));
