/**
 * The one error type for failures a user can fix (bad scenario, bad flag): it says where, what
 * was wrong and what to do, and the CLI prints it without a stack trace and exits 2.
 */

export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export class UserError extends Error {
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: { location?: SourceLocation; hint?: string; cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.location = options.location;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }
}

/**
 * How many problems are shown, per file and per command: a 256 KiB file of 27 000 unknown keys
 * has 27 000 problems, and locating and printing them all took seconds and megabytes. The rest
 * are counted, never located.
 */
export const PROBLEMS_SHOWN = 50;

/** Several user errors found in one pass (every problem of a file is reported at once, the first PROBLEMS_SHOWN of them shown). */
export class UserErrors extends Error {
  readonly errors: UserError[];
  /** problems found beyond those in `errors`, counted only */
  readonly notShown: number;
  readonly exitCode = 2;
  constructor(errors: UserError[], notShown = 0) {
    const shown = errors.slice(0, PROBLEMS_SHOWN);
    super(shown.map((error) => formatUserError(error)).join('\n'));
    this.name = 'UserErrors';
    this.errors = shown;
    this.notShown = notShown + errors.length - shown.length;
  }

  get total(): number {
    return this.errors.length + this.notShown;
  }
}

/** `file:line:col: message (hint)` — the format every user error is printed in. */
export function formatUserError(error: UserError): string {
  const { location } = error;
  const where = location === undefined ? '' : `${location.file}${location.line === undefined ? '' : `:${location.line}`}${location.column === undefined ? '' : `:${location.column}`}: `;
  return `${where}${error.message}${error.hint === undefined ? '' : `\n  hint: ${error.hint}`}`;
}

/** The closest candidate by edit distance, for "did you mean …?" hints. */
export function nearest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** "Did you mean `x`?", the list of allowed values, or that there are none. */
export function suggestion(value: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return 'none is allowed here';
  const close = nearest(value, allowed);
  return close === undefined ? `allowed: ${allowed.join(', ')}` : `did you mean \`${close}\`?`;
}

/**
 * A value from an input file as a message shows it: `"fast"` (shortened when long), `42`,
 * `.inf`, `.nan` (YAML's spelling), `null`, `a list`, `a mapping`, `binary data`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return Number.isNaN(value) ? '.nan (not a number)' : value === Infinity ? '.inf (infinity)' : value === -Infinity ? '-.inf (minus infinity)' : String(value);
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
