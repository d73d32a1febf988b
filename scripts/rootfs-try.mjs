import { $ } from 'zx';
import { minbaseTar, rootfsTar } from './tools/debian-rootfs.mjs';
$.verbose = false; $.quiet = true;
const cache = process.env.STATUSCHAOS_TOOLS_CACHE;
let t = performance.now();
const base = await minbaseTar(cache);
console.log('minbase', base, ((performance.now() - t) / 1000).toFixed(1)); t = performance.now();
const node = await rootfsTar(cache, { name: 'kind-node-base', base: base.tar, packages: ['systemd', 'conntrack', 'iptables', 'nftables', 'iproute2', 'ethtool', 'util-linux', 'mount', 'kmod', 'libseccomp2', 'pigz', 'fuse-overlayfs', 'e2fsprogs', 'bash', 'ca-certificates', 'curl', 'jq', 'procps'] });
console.log('node', node, ((performance.now() - t) / 1000).toFixed(1));
