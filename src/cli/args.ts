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
  // `--seed -5`: a value that looks like a negative number is the flag's value, not a flag (the
  // flag's own check then says what is allowed)
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const next = argv[index + 1];
    const takesValue = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index += 1;
    } else joined.push(arg);
  }
  try {
    const parsed = parseArgs({ args: joined, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(--?[\w-]+)'/.exec(message)?.[1];
    const names = Object.keys(options).map((name) => `--${name}`);
    const hint = unknown ? (names.length === 0 ? `\`statuschaos ${command}\` takes no options but --help` : suggestion(unknown, names)) : undefined;
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

/** An integer flag within [min, max], with a clear error otherwise (never rounded or folded). */
export function integerFlag(name: string, text: string | undefined, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UserError(`Expected \`--${name}\` to be a whole number ${range}, got \`${text}\``, { hint: name === 'seed' || name === 'repeat' ? 'see docs/limits.md' : undefined });
  return value;
}

/** A comma-separated list flag: names trimmed, empty ones dropped, a name given twice refused. */
export function listFlag(name: string, text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((item) => item.trim()).filter(Boolean);
  const twice = items.find((item, index) => items.indexOf(item) !== index);
  if (twice !== undefined) throw new UserError(`\`${twice}\` is named twice in --${name}`, { hint: 'name each once' });
  return items;
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
