// What must happen on every exit path (issue 22, item 5): a process that ends at once — a second
// Ctrl-C gives up on the cleanup and exits, anything may call process.exit — still releases the
// output folder's lock, leaves run.json and explore.json saying `interrupted` (with the figures so
// far) rather than `running`, and removes the temporary file it was writing.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const src = new URL('../../src/', import.meta.url).pathname;

/** Run `body` (an ES module's body, `out` the output folder) in a fresh Node process. */
function inChild(body: string, out: string): { status: number | null; stderr: string } {
  const script = `const out = process.argv[1];\n${body}`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, out], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe('a process that exits at once', () => {
  test('in a run: the lock released, run.json interrupted with its summary, the half-written file gone', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'statuschaos-exit-')), 'out');
    const { status, stderr } = inChild(
      `
      const { claimOutputFolder } = await import('${src}record/output-folder.ts');
      const { RunStore } = await import('${src}record/store.ts');
      const { createFileAtomically } = await import('${src}record/safe-files.ts');
      const folder = await claimOutputFolder(out);
      const header = { format: 'statuschaos.run/2', tool: { name: 'statuschaos', version: '0' }, backend: 'sim', startedAt: 'now', metadata: {}, timing: { profile: 'fast', scale: 1 }, variants: ['proposed'] };
      await RunStore.create(folder.path, header, 1);
      const junit = await createFileAtomically(folder.path, 'junit.xml');
      await junit.write('<testsuites');
      process.exit(130); // as the second Ctrl-C does, with the command half-way
      `,
      out,
    );
    expect(status, stderr).toBe(130);
    expect((await readdir(out)).sort()).toEqual(['results.jsonl', 'run.json', 'runs']);
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8'))).toMatchObject({ status: 'interrupted', summary: { scenarioRuns: 0 } });
  });

  test('in an exploration: explore.json interrupted with the figures so far and the findings written', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'statuschaos-exit-')), 'out');
    const { status, stderr } = inChild(
      `
      const { claimOutputFolder } = await import('${src}record/output-folder.ts');
      const { ExploreWriter } = await import('${src}explore/output.ts');
      const { healPhase } = await import('${src}explore/schedule.ts');
      const folder = await claimOutputFolder(out);
      const writer = await ExploreWriter.create(folder.path, { seed: 1, budget: { ms: 60000 }, variants: ['proposed'], oracles: [{ name: 'truthful' }] }, healPhase());
      writer.progress(42, 12345);
      process.exit(143);
      `,
      out,
    );
    expect(status, stderr).toBe(143);
    expect(await readdir(out)).not.toContain('.statuschaos.lock');
    expect(JSON.parse(await readFile(join(out, 'explore.json'), 'utf8'))).toMatchObject({ status: 'interrupted', stats: { schedules: 42, elapsedMs: 12345 } });
  });
});
