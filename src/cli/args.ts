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

/**
 * A character a name on the command line must not have: anything but printable ASCII. Every
 * variant, oracle, backend and profile name is plain ASCII, so such a character is a look-alike
 * (U+200B zero-width space, U+FEFF, a Cyrillic `а`) or a control character, and is refused by
 * name rather than trimmed away or shown as an invisible difference.
 */
const NOT_PLAIN = /[^\x20-\x7e]/u;

function refuseLookAlikes(name: string, text: string): void {
  const found = NOT_PLAIN.exec(text)?.[0];
  if (found === undefined) return;
  const code = `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  throw new UserError(`--${name} contains the character ${code}, which no name here has (an invisible or look-alike character)`, { hint: 'type the names in plain ASCII (see --help for them)' });
}

/**
 * A comma-separated list flag, the one reading shared by every command: names trimmed of spaces,
 * empty ones dropped, each one of `allowed` (when given), none named twice (it would run twice
 * and count two passes), no look-alike characters, not empty.
 */
export function listFlag<T extends string>(name: string, text: string | undefined, allowed?: readonly T[]): T[] | undefined {
  if (text === undefined) return undefined;
  refuseLookAlikes(name, text);
  const items = text.split(',').map((item) => item.trim()).filter(Boolean);
  const what = name.replace(/-/g, ' ').replace(/s$/, '');
  if (items.length === 0) throw new UserError(`--${name} names nothing`, { hint: allowed ? `choose from ${allowed.join(', ')}` : undefined });
  if (allowed) for (const item of items) if (!allowed.includes(item as T)) throw new UserError(`unknown ${what} \`${item}\` in --${name}`, { hint: suggestion(item, allowed) });
  const twice = items.find((item, index) => items.indexOf(item) !== index);
  if (twice !== undefined) throw new UserError(`\`${twice}\` is named twice in --${name}`, { hint: 'name each once' });
  return items as T[];
}

/** One of the allowed values, with "did you mean" otherwise. */
export function choiceFlag<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  refuseLookAlikes(name, text);
  if (!allowed.includes(text as T)) throw new UserError(`Expected \`--${name}\` to be one of ${allowed.join(', ')}, got \`${text}\``, { hint: suggestion(text, allowed) });
  return text as T;
}

/** `--shard i/n` (1-based, as Playwright and vitest write it) as a 0-based index and a count. */
export function shardFlag(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const shard = parseShard(text); // the one reading of --shard, shared with `run`
  return { index: shard.index - 1, count: shard.count };
}
