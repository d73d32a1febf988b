// Types of against.mjs (plain JavaScript, so that it loads on any Node before pinned-node.mjs runs) for its test.
export interface Figure {
  label: string;
  value: number;
  unit: string;
  text: string;
  lowerIsBetter?: boolean;
}
export interface RoundChild {
  round(round: number): Promise<Record<string, Figure>>;
}
export const here: string;
export function againstRef(args?: readonly string[]): string | undefined;
export function refTree(ref: string): { root: string; commit: string; sameLock: boolean; remove(): void };
export function startChild(root: string, module: string, options: object, execArgv?: readonly string[]): Promise<RoundChild & { close(): void }>;
export function alternate(options: { title: string; rounds: number; ref: string; refChild: RoundChild; currentChild: RoundChild }): Promise<void>;
export function benchAgainst(options: { ref: string; module: string; rounds: number; configurations: { title: string; options: object; execArgv: readonly string[] }[] }): Promise<void>;
