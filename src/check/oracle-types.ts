/** What every truth oracle gives: its violations, each with a signature the explorer groups findings by. */
import type { ScenarioRun } from '../record/run-record.ts';
import type { OracleName } from '../scenario/oracle-names.ts';

export interface OracleViolation {
  oracle: OracleName;
  variant: string;
  app: string;
  /** when it began (scenario ms) */
  at: number;
  /** the shape of the first divergence, e.g. `FAILED while RUNNING, to the end` */
  signature: string;
  /** the cause the variant gave for the console write behind it (telemetry `console.write.cause`): which observation made it write the lie */
  cause?: string;
  message: string;
}

export type Judge = (run: ScenarioRun, variant: string, app: string, boundMs: number) => OracleViolation[];

/** A time for a sentence: `95 s`, `12.5 s`. */
export const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
