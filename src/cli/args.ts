/**
 * Flag parsing shared by the commands: node:util's parseArgs in strict mode, every flag also
 * readable from a STATUSCHAOS_* environment variable (the env is a parameter, for tests).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError, suggestion } from '../errors/user-error.ts';
import { parseShard } from '../record/shard.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Parse argv for a command; unknown flags and missing values are UserErrors (exit 2). */
export function parseCommandArgs(command: string, argv: string[], options: OptionSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(--?[\w-]+)'/.exec(message)?.[1];
    const hint = unknown ? suggestion(unknown, Object.keys(options).map((name) => `--${name}`)) : undefined;
    throw new UserError(`${command}: ${message.replace(/\. To specify a positional.*$/s, '')}`, { hint: hint ?? `see \`statuschaos ${command} --help\`` });
  }
}

/** A flag's value, else its STATUSCHAOS_<NAME> environment variable, else undefined. */
export function flagOrEnv(values: Record<string, unknown>, name: string, env: NodeJS.ProcessEnv): string | undefined {
  const value = values[name];
  if (typeof value === 'string') return value;
  const fromEnv = env[`STATUSCHAOS_${name.toUpperCase().replace(/-/g, '_')}`];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** A non-negative integer flag, with a clear error otherwise. */
export function integerFlag(name: string, text: string | undefined, { min = 0 } = {}): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text) || Number(text) < min) throw new UserError(`Expected \`--${name}\` to be an integer ≥ ${min}, got \`${text}\``);
  return Number(text);
}

/** One of the allowed values, with "did you mean" otherwise. */
export function choiceFlag<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) throw new UserError(`Expected \`--${name}\` to be one of ${allowed.join(', ')}, got \`${text}\``, { hint: suggestion(text, allowed) });
  return text as T;
}

/** `--shard i/n` (1-based, as Playwright and vitest write it) as a 0-based index and a count. */
export function shardFlag(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const shard = parseShard(text); // the one reading of --shard, shared with `run`
  return { index: shard.index - 1, count: shard.count };
}
