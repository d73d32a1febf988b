/**
 * The truth oracles a scenario's expectation may name (`oracles: [truthful, { converges: 30s }]`);
 * what each judges is check/oracles.ts, their default bounds check/bounds.ts.
 */
export const ORACLE_NAMES = ['truthful', 'converges', 'detects', 'quiet', 'alerts', 'tracking', 'informative'] as const;
export type OracleName = (typeof ORACLE_NAMES)[number];

/** An oracle to check, with its bound (undefined: the default for the run's timing). */
export interface OracleRequest {
  name: OracleName;
  boundMs?: number;
}
