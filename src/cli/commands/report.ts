/** `statuschaos report`: re-check and re-render a stored run offline (no cluster needed). */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { UserError } from '../../errors/user-error.ts';
import { checkScenarioRun } from '../../check/results.ts';
import { writeRunOutputs } from '../../report/write.ts';
import { RUN_FORMAT, type RunRecord } from '../../runner/record.ts';
import { summarize } from '../../runner/run.ts';
import { flagOrEnv, parseCommandArgs } from '../args.ts';
import { EXIT, type CliIo } from '../io.ts';
import { renderMatrix } from '../matrix.ts';

export const REPORT_HELP = `Usage: statuschaos report <run.json> [--out DIR]

Re-evaluates every expectation against the traces recorded in run.json (so a changed checker
or pattern can be tried on an old run) and writes run.json, junit.xml and the HTML report again
(default: next to the given run.json). Exit codes as for \`run\`.
`;

export async function readRunRecord(file: string): Promise<RunRecord> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`, { location: { file } });
  }
  let record: RunRecord;
  try {
    record = JSON.parse(text) as RunRecord;
  } catch (error) {
    throw new UserError(`${file} is not JSON: ${(error as Error).message}`, { location: { file } });
  }
  if (record?.format !== RUN_FORMAT) throw new UserError(`${file} is not a statuschaos run record (format ${JSON.stringify(record?.format)}, expected ${RUN_FORMAT})`, { location: { file } });
  return record;
}

/** Recompute results and warnings from the recorded lanes. */
export function recheck(record: RunRecord): RunRecord {
  const results: RunRecord['results'] = [];
  const scenarios = record.scenarios.map((run) => {
    const checked = checkScenarioRun(run, record.variants);
    results.push(...checked.results);
    return { ...run, warnings: checked.warnings };
  });
  return { ...record, scenarios, results, summary: summarize(results, scenarios.reduce((sum, run) => sum + run.warnings.length, 0)) };
}

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', argv, { out: { type: 'string' } });
  if (values.help) {
    io.stdout.write(REPORT_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UserError('report takes one run.json', { hint: 'e.g. `statuschaos report reports/latest/run.json`' });
  const cwd = io.cwd ?? process.cwd();
  const file = resolve(cwd, positionals[0]!);
  const record = recheck(await readRunRecord(file));
  const outDir = resolve(cwd, flagOrEnv(values, 'out', {}) ?? dirname(file));
  const written = await writeRunOutputs(record, outDir);
  io.stdout.write(renderMatrix(record));
  io.stdout.write(`report: ${relative(cwd, written.find((path) => path.endsWith('index.html')) ?? written[0]!)}\n`);
  return record.summary.fail > 0 || record.summary.inconclusive > 0 ? EXIT.failed : EXIT.ok;
}
