/** `statuschaos report`: re-check and re-render a stored run offline (no cluster needed). */
import { realpath } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { UserError } from '../../errors/user-error.ts';
import { recheckRecord } from '../../check/recheck.ts';
import { sameFolder } from '../../record/inputs-apart.ts';
import { claimOutputFolder } from '../../record/output-folder.ts';
import { readRunRecord, saveRecheckedRun } from '../../record/store.ts';
import { writeReport } from '../../report/write.ts';
import { flagOrEnv, parseCommandArgs } from '../args.ts';
import { EXIT, verdictExitCode, type CliIo } from '../io.ts';
import { enterPhase } from '../phase.ts';
import { renderMatrix } from '../matrix.ts';

export const REPORT_HELP = `Usage: statuschaos report <run folder or its run.json> [--out DIR]

Re-evaluates every expectation against the traces recorded in run.json (so a changed checker
or pattern can be tried on an old run) and writes run.json, junit.xml and the HTML report again
(default: the run's own folder). Exit codes as for \`run\`.
`;

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', argv, { out: { type: 'string' } });
  if (values.help) {
    io.stdout.write(REPORT_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UserError('report takes one run.json', { hint: 'e.g. `statuschaos report reports/latest/run.json`' });
  const cwd = io.cwd ?? process.cwd();
  const given = resolve(cwd, positionals[0]!);
  // the folder the user named, reached through a link if it is one (reports/latest); nothing below it is
  const runDir = await realpath(basename(given) === 'run.json' ? dirname(given) : given).catch(() => (basename(given) === 'run.json' ? dirname(given) : given));
  // the run is read (and a folder that is no run refused, naming the file and line) before anything is claimed
  const stored = await readRunRecord(runDir, io.signal);
  const outDir = resolve(cwd, flagOrEnv(values, 'out', {}) ?? runDir);
  // in place: the same folder by device and inode (a bind mount of it too), whose files are kept
  const inPlace = await sameFolder(outDir, runDir);
  const folder = await claimOutputFolder(outDir, { keep: inPlace, inputs: [runDir], allowSame: runDir });
  try {
    await enterPhase(io, 'rendering');
    const record = await recheckRecord(stored, io.signal);
    await saveRecheckedRun(runDir, outDir, record, io.signal);
    const written = await writeReport(record, outDir, { signal: io.signal });
    io.stdout.write(renderMatrix(record));
    io.stdout.write(`report: ${relative(cwd, written[0]!)}\n`);
    return verdictExitCode(record.summary, io);
  } finally {
    await folder.release();
  }
}
