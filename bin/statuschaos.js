#!/usr/bin/env node
// The CLI is TypeScript run by Node's built-in type stripping (Node >= 22.18; npm scripts and
// npx put the pinned Node 22 first on PATH).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`statuschaos needs Node >= 22.18 (this is ${process.version}); run it through npx or npm scripts, which use the project's pinned Node 22\n`);
  process.exit(2);
}
const { main } = await import('../src/cli/main.ts');
const { handleInterrupts } = await import('../src/cli/signals.ts');
// A reader that went away (\`statuschaos … | head\`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const signal = handleInterrupts(process.stderr);
const code = await main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, signal });
process.exitCode = code;
// Everything the command started is stopped by now: once what was written has reached stdout and
// stderr, exit, so that an idle keep-alive socket does not hold the process open (e.g. after
// \`cluster up\`, whose processes keep running on purpose).
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(code);
