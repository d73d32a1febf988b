// `--against`'s round logic (scripts/bench/against.mjs): alternating order, medians, the ratio, and
// the ref read from the command line as written. The worktree and child processes are exercised
// by running `npm run bench:sim -- --against <ref>` (docs/benchmarks.md), not here.
import { afterEach, expect, test, vi } from 'vitest';
import { againstRef, alternate } from '../../../scripts/bench/against.mjs';

afterEach(() => vi.restoreAllMocks());

function fakeChild(tree: string, values: number[], order: string[]) {
  return {
    round: async (round: number) => {
      order.push(`${tree}${round}`);
      return { speed: { label: 'speed', value: values[round - 1]!, unit: 'x', text: `${values[round - 1]} x` } };
    },
  };
}

test('rounds alternate which tree goes first; medians and current ÷ ref are printed with every round', async () => {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const order: string[] = [];
  await alternate({ title: 'one thread', rounds: 3, ref: 'abc', refChild: fakeChild('ref', [10, 30, 20], order), currentChild: fakeChild('cur', [25, 40, 50], order) });
  expect(order).toEqual(['ref1', 'cur1', 'cur2', 'ref2', 'ref3', 'cur3']);
  expect(lines.filter((line) => /^  round \d/.test(line))).toHaveLength(6);
  expect(lines.at(-1)).toBe('  speed: median ref 20.0 x, current 40.0 x; current ÷ ref 2.00 (2.00×)');
});

test('a figure where lower is better reads as "× sooner"', async () => {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const child = (value: number) => ({ round: async () => ({ first: { label: 'first finding', value, unit: 's', lowerIsBetter: true, text: `${value} s` } }) });
  await alternate({ title: 'explorer', rounds: 3, ref: 'abc', refChild: child(9), currentChild: child(3) });
  expect(lines.at(-1)).toBe('  first finding: median ref 9.0 s, current 3.0 s; current ÷ ref 0.33 (3.00× sooner)');
});

test('the ref is taken as written (a numeric-looking hash stays a string)', () => {
  expect(againstRef(['node', 'bench-sim.mjs', '--rounds', '3', '--against', '0123456'])).toBe('0123456');
  expect(againstRef(['node', 'bench-sim.mjs', '--against=d66a376'])).toBe('d66a376');
  expect(againstRef(['node', 'bench-sim.mjs'])).toBeUndefined();
});
