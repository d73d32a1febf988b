// The example workflow .github/workflows/statuschaos-shards.yml against the CLI it calls: the
// matrix is shards 1 … n and each runs its own `--shard i/n`, what the shards upload is what the
// merge downloads, and every statuschaos command line uses only flags that command has.
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { cli } from '../support/cli.ts';

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string;
  strategy?: { matrix: { shard: number[] } };
  steps: Step[];
}
const workflow = parse(await readFile(new URL('../../.github/workflows/statuschaos-shards.yml', import.meta.url), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const { shard, merge, explore } = workflow.jobs as Record<string, Job>;

/** Every `statuschaos <command> …` (npx or bin/statuschaos.js) in a job's run steps, as words, `${{ … }}` and shell words kept as written. */
const commands = (job: Job) =>
  job.steps.flatMap((step) => [...(step.run ?? '').matchAll(/(?:npx statuschaos|bin\/statuschaos\.js) (\w+)([^|\n]*)/g)].map((match) => ({ command: match[1]!, words: match[2]!.trim().split(/\s+/) })));

/** The flags a command's --help lists. */
async function helpFlags(command: string): Promise<Set<string> | undefined> {
  const { code, stdout } = await cli([command, '--help']);
  return code === 0 ? new Set(stdout.match(/--[a-z][\w-]*/g)) : undefined;
}

describe('the sharded example workflow', () => {
  test('the matrix is shards 1 … n, each running --shard <its number>/<the matrix size>', () => {
    const shards = shard!.strategy!.matrix.shard;
    expect(shards).toEqual(shards.map((_, index) => index + 1));
    const [run] = commands(shard!);
    expect(run).toMatchObject({ command: 'run' });
    expect(run!.words.join(' ')).toContain('--shard ${{ matrix.shard }}/${{ strategy.job-total }}');
  });

  test('the merge job waits for the shards, downloads what they upload and merges all of it', () => {
    expect(merge!.needs).toBe('shard');
    const upload = shard!.steps.find((step) => step.uses?.startsWith('actions/upload-artifact'))!;
    const download = merge!.steps.find((step) => step.uses?.startsWith('actions/download-artifact'))!;
    expect(upload.with!.name).toBe('statuschaos-shard-${{ matrix.shard }}');
    expect(download.with!.pattern).toBe('statuschaos-shard-*');
    expect(commands(merge!)).toEqual([{ command: 'merge', words: [`${download.with!.path}/*`, '--out', 'merged'] }]);
    expect(merge!.steps.some((step) => step.uses?.startsWith('mikepenz/action-junit-report') && step.with!.report_paths === 'merged/junit.xml')).toBe(true);
  });

  test('the exploration runs nightly with --budget, --seed and --out and keeps its output', () => {
    expect(workflow.on.schedule).toEqual([{ cron: expect.any(String) }]);
    expect(explore!.if).toContain("github.event_name == 'schedule'");
    const [run] = commands(explore!);
    expect(run!.command).toBe('explore');
    expect(run!.words.filter((word) => word.startsWith('--'))).toEqual(['--budget', '--seed', '--out']);
    const out = run!.words[run!.words.indexOf('--out') + 1];
    expect(explore!.steps.some((step) => step.uses?.startsWith('actions/upload-artifact') && step.with!.path === out)).toBe(true);
  });

  test('every statuschaos command line uses only flags its command has', async () => {
    for (const job of [shard!, merge!, explore!]) {
      expect(commands(job).length).toBeGreaterThan(0);
      for (const { command, words } of commands(job)) {
        const known = (await helpFlags(command)) ?? new Set<string>();
        expect(words.filter((word) => word.startsWith('--') && !known.has(word)), `statuschaos ${command} ${words.join(' ')}`).toEqual([]);
      }
    }
  });
});
