// Imported first by every script: scripts load the project's TypeScript, which only Node >= 22.18
// runs (type stripping). On an older Node (the system's, as in `node scripts/x.mjs`) the script is
// run again with the project's pinned Node 22 (node_modules/node, installed by `npm ci`, the one
// npm scripts and npx use), or the user is told how to get it. Plain JavaScript on purpose: it must
// load on Node 20, so a script's own .ts imports come after it, as dynamic imports.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const pinned = new URL('../node_modules/node/bin/node', import.meta.url).pathname;
  const script = `scripts/${basename(process.argv[1] ?? '')}`;
  if (!existsSync(pinned)) {
    process.stderr.write(`${script} needs Node >= 22.18 (this is ${process.version}); run \`npm ci\` first: it installs the project's pinned Node 22, which npm scripts use\n`);
    process.exit(2);
  }
  process.stderr.write(`${script}: Node ${process.version} cannot load the project's TypeScript; running it with the pinned Node (${pinned})\n`);
  const child = spawn(pinned, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  // the rest of the script never runs here: this module's evaluation ends only with the child
  await new Promise(() => {
    child.on('exit', (code, signal) => {
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(name, forward);
      if (signal !== null) process.kill(process.pid, signal);
      process.exit(code ?? 1);
    });
  });
}
