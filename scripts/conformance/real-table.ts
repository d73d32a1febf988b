/**
 * The model-against-real-code table: per scenario, each StreamPark model and its real counterpart
 * (StreamPark's own code) side by side on the same run — verdict, trace, and whether the traces
 * agree. Pure: results in, rows and markdown out (scripts/conformance-real.mjs, the live test).
 */
export interface ResultLike {
  scenario: string;
  variant: string;
  app: string;
  verdict: string;
  trace: string[];
  failures: string[];
  trackerFailed?: string;
}

export interface PairCell {
  model: string;
  real: string;
  modelVerdict: string;
  realVerdict: string;
  modelTrace: string;
  realTrace: string;
  /** the real code wrote what the model wrote (consecutive repeats collapsed) */
  agrees: boolean;
  /** why the real tracker's verdict is not pass */
  why: string[];
}

export interface TableRow {
  scenario: string;
  app: string;
  pairs: PairCell[];
}

export const PAIRS: readonly (readonly [string, string])[] = [['v2.1.3', 'real-2.1.3'], ['v2.1.4', 'real-2.1.4']];

const SYMBOL: Record<string, string> = { pass: '✓', fail: '✗', inconclusive: '?', unchecked: '·' };

export function conformanceRows(results: readonly ResultLike[]): TableRow[] {
  const rows = new Map<string, TableRow>();
  for (const result of results) {
    const pair = PAIRS.find(([model]) => model === result.variant);
    if (pair === undefined) continue;
    const real = results.find((candidate) => candidate.scenario === result.scenario && candidate.app === result.app && candidate.variant === pair[1]);
    if (real === undefined) continue;
    const key = `${result.scenario}\u0000${result.app}`;
    const row = rows.get(key) ?? { scenario: result.scenario, app: result.app, pairs: [] };
    rows.set(key, row);
    row.pairs.push({
      model: result.variant,
      real: real.variant,
      modelVerdict: result.verdict,
      realVerdict: real.verdict,
      modelTrace: result.trace.join(' → '),
      realTrace: real.trace.join(' → '),
      agrees: result.trace.join() === real.trace.join(),
      why: real.trackerFailed !== undefined ? [`the tracker broke: ${real.trackerFailed}`] : real.failures,
    });
  }
  return [...rows.values()];
}

export function markdownTable(rows: readonly TableRow[]): string {
  const header = `| scenario | ${PAIRS.map(([model, real]) => `${model} | ${real}`).join(' | ')} | traces |`;
  const rule = `|---|${PAIRS.map(() => '---|---').join('|')}|---|`;
  const lines = rows.map((row) => {
    const cells = PAIRS.map(([model]) => {
      const pair = row.pairs.find((candidate) => candidate.model === model);
      if (pair === undefined) return '— | —';
      return `${SYMBOL[pair.modelVerdict] ?? pair.modelVerdict} ${pair.modelTrace} | ${SYMBOL[pair.realVerdict] ?? pair.realVerdict} ${pair.realTrace}`;
    });
    const agree = row.pairs.every((pair) => pair.agrees) ? 'same' : row.pairs.filter((pair) => !pair.agrees).map((pair) => `${pair.real} differs`).join(', ');
    return `| ${row.scenario}${row.app === row.scenario ? '' : ` (${row.app})`} | ${cells.join(' | ')} | ${agree} |`;
  });
  return [header, rule, ...lines].join('\n');
}
