/** Durations in scenario files: `500ms`, `10s`, `3m`, `1h`, or combinations like `1m30s`. */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds for a duration string, or undefined when it is not one (negative included). */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
  return Math.round(total);
}

/** The shortest readable form: 90000 → `1m30s`, 1500 → `1.5s`, 250 → `250ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(3))}s`;
  const minutes = Math.floor(ms / 60_000);
  const rest = ms - minutes * 60_000;
  if (minutes < 60) return rest === 0 ? `${minutes}m` : `${minutes}m${formatDuration(rest)}`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h${minutes % 60 === 0 && rest === 0 ? '' : formatDuration(ms - hours * 3_600_000)}`;
}
