/** How the report writes times and file names. Scenario times are milliseconds since t = 0. */
import { scenarioRunId } from '../../record/store.ts';

/** Scenario time to the tenth of a second, trailing `.0` dropped: 95002 → `95 s`, 62500 → `62.5 s`. */
export function seconds(ms: number): string {
  const tenths = Math.round(ms / 100) / 10;
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)} s`;
}

/** Scenario time to the millisecond, for hover titles and the event table: 95002 → `95.002 s`. */
export function exactSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** A span of scenario time: `60–180 s`. */
export function span(fromMs: number, toMs: number): string {
  return `${seconds(fromMs).slice(0, -2)}–${seconds(toMs)}`;
}

/** Wall time for run metadata: 130 → `130 ms`, 61500 → `61.5 s`, 754000 → `12 min 34 s`. */
export function wallTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return seconds(ms);
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/**
 * One page file name per scenario run, in order: `scenario-<id>.html` with the run's file-name
 * id (record/store.ts), `-2`, `-3` appended should a record hold the same run twice.
 */
export function scenarioPageNames(runs: readonly { name: string; seed: number }[]): string[] {
  const taken = new Set<string>(['index']);
  return runs.map((run) => {
    const base = `scenario-${scenarioRunId(run.name, run.seed)}`;
    let name = base;
    for (let suffix = 2; taken.has(name); suffix++) name = `${base}-${suffix}`;
    taken.add(name);
    return `${name}.html`;
  });
}
