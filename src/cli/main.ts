/**
 * The command line: dispatch, the one place user errors are formatted (no stack traces), and
 * exit codes. `main` takes its I/O as parameters so tests can run it in-process.
 */
import { BackendError } from '../backends/backend.ts';
import { describeFsError } from '../errors/fs-messages.ts';
import { LinkInPath } from '../record/beneath.ts';
import { UserError, UserErrors, formatUserError, suggestion } from '../errors/user-error.ts';
import { machineCommand } from './commands/machine.ts';
import { mergeCommand } from './commands/merge.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { schemaCommand } from './commands/schema.ts';
import { validateCommand } from './commands/validate.ts';
import { EXIT, type CliIo } from './io.ts';
import { interruptedExitCode } from './signals.ts';
import { terminalSafe } from './terminal.ts';
import { TOOL } from '../tool.ts';

export const MAIN_HELP = `statuschaos ${TOOL.version}: proves a job-status tracker tells the truth when the network
to Kubernetes is flaky and pods restart underneath it.

Usage: statuschaos <command> [options]

Commands:
  run <scenarios...>       run scenarios on a backend, check the traces, write reports
  explore                  generate fault schedules, find those that make a tracker lie, shrink them
  reproduce <incident>     find the fault schedules that explain an incident (what the console showed)
  validate <scenarios...>  check scenario files
  schema [incident]        print the scenario (or incident) JSON Schema
  report <run.json>        re-check and re-render a stored run offline
  merge <shards...>        join the shards of a run (\`run --shard i/n\`) into one run and report
  job render run|explore   a Kubernetes Indexed Job that runs the shards (clusters/job/)
  machine <variant>        print a variant's XState machines for Stately's visualiser
  cluster up|down|status   the local control plane (see \`statuschaos cluster --help\`)

\`statuschaos <command> --help\` tells more. Exit codes: 0 all expectations held, 1 one failed or
nothing was checked, 2 bad input or usage, 3 the backend could not run, 130 Ctrl-C, 143 SIGTERM,
129 SIGHUP, 131 SIGQUIT.
`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => runCommand,
  explore: async () => (await import('./commands/explore.ts')).exploreCommand,
  reproduce: async () => (await import('./commands/reproduce.ts')).reproduceCommand,
  validate: async () => validateCommand,
  schema: async () => schemaCommand,
  report: async () => reportCommand,
  merge: async () => mergeCommand,
  job: async () => (await import('./commands/job.ts')).jobCommand,
  machine: async () => machineCommand,
  cluster: async () => (await import('./commands/cluster.ts')).clusterCommand,
};

export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  const io = terminalSafe(rawIo);
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(MAIN_HELP);
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${TOOL.version}\n`);
      return EXIT.ok;
    }
    const load = COMMANDS[name];
    if (load === undefined) throw new UserError(`unknown command \`${name}\``, { hint: suggestion(name, Object.keys(COMMANDS)) });
    return await (await load())(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (io.signal?.aborted) {
    const cleanup = error instanceof BackendError ? `, but ${error.message}` : '; everything it started was cleaned up';
    io.stderr.write(`statuschaos: interrupted${cleanup}\n`);
    return interruptedExitCode(io.signal.reason);
  }
  if (error instanceof UserErrors) {
    const more = error.notShown > 0 ? `… and ${error.notShown.toLocaleString('en-US')} more problem(s), not shown\n` : '';
    io.stderr.write(`${error.errors.map((item) => `error: ${formatUserError(item)}`).join('\n')}\n${more}${error.total.toLocaleString('en-US')} problem(s) found.\n`);
    return EXIT.usage;
  }
  if (error instanceof UserError) {
    io.stderr.write(`error: ${formatUserError(error)}\n`);
    return error.exitCode;
  }
  if (error instanceof LinkInPath) {
    io.stderr.write(`error: ${error.message}\n  hint: something replaced a folder with a link while statuschaos was using it; nothing was written through it\n`);
    return EXIT.usage;
  }
  const fileProblem = fileSystemProblem(error);
  if (fileProblem !== undefined) {
    io.stderr.write(`error: ${fileProblem}\n`);
    return EXIT.usage;
  }
  if (error instanceof BackendError) {
    io.stderr.write(`error: the backend could not run: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    return EXIT.backend;
  }
  io.stderr.write(`statuschaos: internal error (a bug; please report it with this output):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 70;
}

/** Errors of the machine's file system that the user can fix (a full disk, a read-only one, a quota). */
const FILE_SYSTEM_CODES: Readonly<Record<string, string>> = {
  ENOSPC: 'free some space (what was written so far is kept; `statuschaos report` renders a run that stopped)',
  EDQUOT: 'free some space or raise the quota',
  EROFS: 'give an output folder on a writable file system',
  EIO: 'the disk reported an error; check it, then run again',
  EMFILE: 'raise the limit on open files (ulimit -n)',
  ENFILE: 'the machine has too many files open; try again later',
};

/** A file-system failure as one line (what, where, what to do), or undefined when it is not one. */
function fileSystemProblem(error: unknown): string | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  const hint = code === undefined ? undefined : FILE_SYSTEM_CODES[code];
  if (hint === undefined) return undefined;
  return `cannot ${syscall === 'open' || syscall === 'read' ? 'open' : 'write'} ${path ?? 'a file'}: ${describeFsError(error)}\n  hint: ${hint}`;
}
