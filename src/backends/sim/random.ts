/**
 * The simulation's only source of randomness: a small seeded generator (sfc32, seeded through
 * splitmix32), so the same seed gives the same draws in the same order on every machine.
 */

export interface Random {
  /** a float in [0, 1) */
  next(): number;
  /** an integer in [0, bound) */
  int(bound: number): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator for a seed (any integer; negative and large values are folded to 32 bits). */
export function createRandom(seed: number): Random {
  const mix = splitmix32(Number.isSafeInteger(seed) ? seed : 0);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let warmup = 0; warmup < 12; warmup++) next();
  return { next, int: (bound) => Math.floor(next() * bound) };
}

/** A generator of its own for one named part of a run (a tracker's draws), from the run's seed: the same whatever else the run holds. */
export function createNamedRandom(seed: number, name: string): Random {
  let hash = 0x811c9dc5; // FNV-1a over the name, folded with the seed
  for (let index = 0; index < name.length; index++) hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193) >>> 0;
  return createRandom((hash ^ (Number.isSafeInteger(seed) ? seed : 0)) >>> 0);
}
