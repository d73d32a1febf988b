#!/usr/bin/env node
// `npm run conformance:real [-- --scenarios a,b | all] [--workers N] [--out DIR]`: the library's
// scenarios on the local control plane with the StreamPark models and StreamPark's own code side
// by side (v2.1.3, real-2.1.3, v2.1.4, real-2.1.4) at StreamPark's timing, and the table of
// verdicts and traces (docs/conformance-real.md holds the last one, with every difference
// explained). At StreamPark's timing a scenario takes its length in wall time: the whole
// library about 110 minutes on one thread.
import { execa } from 'execa';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { conformanceRows, markdownTable } from './conformance/real-table.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { scenarios: { type: 'string', default: 'all' }, workers: { type: 'string', default: '1' }, out: { type: 'string' } } });
const files = values.scenarios === 'all' ? (await readdir(join(root, 'scenarios'))).filter((file) => file.endsWith('.yaml')).map((file) => join('scenarios', file)) : values.scenarios.split(',').map((name) => join('scenarios', `${name.trim()}.yaml`));
const out = values.out ?? (await mkdtemp(join(tmpdir(), 'statuschaos-conformance-real-')));
const began = performance.now();
console.error(`conformance:real: ${files.length} scenario(s) on the local control plane at StreamPark's timing, ${values.workers} worker(s) → ${out}`);
const run = await execa(process.execPath, ['bin/statuschaos.js', 'run', ...files, '--backend', 'local', '--variants', 'v2.1.3,real-2.1.3,v2.1.4,real-2.1.4', '--timing', 'streampark', '--workers', values.workers, '--out', out], { cwd: root, reject: false, stdout: 'inherit', stderr: 'inherit' });
const results = (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n').filter(Boolean).flatMap((line) => JSON.parse(line).results);
const rows = conformanceRows(results);
console.log(`\n${markdownTable(rows)}\n`);
const differ = rows.filter((row) => row.pairs.some((pair) => !pair.agrees || pair.modelVerdict !== pair.realVerdict)).map((row) => row.scenario);
console.log(`${rows.length} scenario run(s), ${((performance.now() - began) / 60_000).toFixed(1)} min wall; real code differs from its model in: ${differ.join(', ') || 'none'}`);
console.log(`run exit code ${run.exitCode}; report ${join(out, 'index.html')}`);
process.exitCode = run.exitCode === 0 || run.exitCode === 1 ? 0 : run.exitCode;
