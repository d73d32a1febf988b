#!/usr/bin/env node
// The CLI is TypeScript run by Node's built-in type stripping (Node >= 22.18; npm scripts and
// npx put the pinned Node 22 first on PATH).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`statuschaos needs Node >= 22.18 (this is ${process.version}); run it through npx or npm scripts, which use the project's pinned Node 22\n`);
  process.exit(2);
}
const { main } = await import('../src/cli/main.ts');
const controller = new AbortController();
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130); // a second Ctrl-C: give up on cleanup
    process.stderr.write(`statuschaos: ${signal}, cleaning up…\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  });
}
process.exitCode = await main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
