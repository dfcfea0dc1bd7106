// Seeded random numbers for the forest: one independent stream per tree
// (sfc32 seeded through splitmix32 from the forest seed and the tree index),
// so that trees can be trained in any order or on any worker and the forest
// is still the same bit for bit.

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export interface TreeRng {
  /** Uniform integer in [0, n), n <= 2^32. */
  int(n: number): number;
}

/** The random stream of tree `tree` of a forest trained with `seed`. */
export function treeRng(seed: number, tree: number): TreeRng {
  const mix = splitmix32((Math.imul(seed >>> 0, 0x27d4eb2d) ^ Math.imul(tree + 1, 0x165667b1)) >>> 0);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix() | 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next();
  return { int: (n) => Math.floor((next() / 4294967296) * n) };
}
