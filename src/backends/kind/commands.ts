/**
 * The kind backend's external commands (kind, docker, kubectl) through execa: every call is
 * logged with its output, a failure becomes a BackendError that names the command and quotes its
 * stderr, and a missing executable says what to install.
 */
import { appendFile } from 'node:fs/promises';
import { execa } from 'execa';
import { BackendError } from '../backend.ts';

export interface CommandContext {
  /** environment of the commands (PATH decides which kind/docker/kubectl run) */
  env: NodeJS.ProcessEnv;
  /** every command line and its output is appended here */
  logFile: string;
  /** aborting stops a command in progress (Ctrl-C) */
  signal?: AbortSignal;
}

export interface CommandOptions {
  /** what the command is for, in the error message (`creating the kind cluster`) */
  purpose: string;
  /** what to do when it fails */
  hint?: string;
  input?: string;
  /** teardown commands must run even after Ctrl-C: they ignore the context's signal */
  ignoreSignal?: boolean;
  timeoutMs?: number;
}

/** What to install when an executable is missing from PATH. */
export const INSTALL_HINTS: Record<string, string> = {
  kind: 'install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation, e.g. `go install sigs.k8s.io/kind@v0.33.0`) and make sure it is on PATH',
  docker: 'install Docker (https://docs.docker.com/engine/install/): kind runs its nodes as Docker containers',
  kubectl: 'install kubectl (https://kubernetes.io/docs/tasks/tools/) or build it with `npm run tools` (.tools/bin/kubectl)',
};

const tail = (text: string, lines = 12) => text.trim().split('\n').slice(-lines).join('\n');

/** Run `file args…`; resolves with stdout, or throws a BackendError saying what failed and why. */
export async function runCommand(context: CommandContext, file: string, args: readonly string[], options: CommandOptions): Promise<string> {
  const line = [file, ...args].join(' ');
  await appendFile(context.logFile, `$ ${line}\n`);
  const signal = options.ignoreSignal ? undefined : context.signal;
  const result = await execa(file, args, {
    env: context.env,
    reject: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(signal ? { cancelSignal: signal } : {}),
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });
  await appendFile(context.logFile, `${result.stdout ? `${result.stdout}\n` : ''}${result.stderr ? `${result.stderr}\n` : ''}# exit ${result.exitCode ?? result.code ?? 'unknown'}\n`);
  if (!result.failed) return result.stdout;
  if (result.isCanceled) throw signal?.reason ?? new Error(`${line}: cancelled`);
  const name = file.split('/').at(-1)!;
  if (result.code === 'ENOENT') throw new BackendError(`${name} is not installed (not found on PATH) but is needed for ${options.purpose}`, { hint: INSTALL_HINTS[name] ?? `install ${name}` });
  const why = result.timedOut ? `timed out after ${options.timeoutMs} ms` : `exit code ${result.exitCode ?? result.code}`;
  throw new BackendError(`${options.purpose} failed: \`${line}\` ${why}${result.stderr ? `:\n${tail(result.stderr)}` : ''}`, { hint: options.hint ?? `see ${context.logFile}` });
}
