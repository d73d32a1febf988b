// The split of a run over shards: every position in exactly one shard, the sizes as counted,
// and `--shard` read the way Playwright and vitest read it.
import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/errors/user-error.ts';
import { inShard, parseShard, shardOf, shardPositions, shardSize, takeShard } from '../../src/record/shard.ts';

describe('shards', () => {
  test.for([
    [0, 1],
    [1, 1],
    [7, 3],
    [26, 4],
    [3, 5],
    [1000, 7],
  ] as const)('%i positions over %i shards: each position in exactly one shard, in order, sizes as counted', ([total, count]) => {
    const seen: number[] = [];
    for (let index = 1; index <= count; index++) {
      const positions = [...shardPositions(total, { index, count })];
      expect(positions).toEqual([...takeShard([...Array(total).keys()], { index, count })]);
      expect(positions.length).toBe(shardSize(total, { index, count }));
      expect(positions.every((position) => inShard(position, { index, count }) && shardOf(position, count) === index)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      seen.push(...positions);
    }
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(total).keys()]);
  });

  test.for([
    ['1/4', { index: 1, count: 4 }],
    ['4/4', { index: 4, count: 4 }],
    [' 2 / 3 ', { index: 2, count: 3 }],
  ] as const)('--shard %s is shard %o', ([text, shard]) => expect(parseShard(text)).toEqual(shard));

  test.for([
    ['0/4', /count from 1, as in Playwright and vitest .*JOB_COMPLETION_INDEX \+ 1/],
    ['5/4', /e\.g\. --shard 1\/4/],
    ['1/0', /e\.g\. --shard 1\/4/],
    ['1of4', /e\.g\. --shard 1\/4/],
    ['-1/4', /e\.g\. --shard 1\/4/],
  ] as const)('--shard %s is a user error whose hint says what to give', ([text, hint]) => {
    const error = (() => {
      try {
        parseShard(text);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(`got \`${text}\``);
    expect((error as UserError).hint).toMatch(hint);
  });
});
