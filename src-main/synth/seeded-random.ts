// A small seeded random source of our own, so that a synthetic sample is the
// same bytes on every machine and Node version: Math.random cannot be seeded,
// and integer arithmetic (Math.imul, >>>) is exact everywhere.

/** Mixes a seed and a stream number into a well-spread 32-bit state (splitmix32 finaliser). */
export function mixSeed(seed: number, stream = 0): number {
  let h = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface SeededRandom {
  /** Uniform in [0, 1), 2^-32 resolution. */
  uniform(): number;
  /** Standard normal (Box-Muller; both values of a pair are used). */
  gaussian(): number;
  /** Unit vector uniform on the sphere: [x, y, z]. */
  unitVector(): [number, number, number];
}

/** mulberry32: 32-bit state, period 2^32, passes the statistical tests we need for placing waves and spheres. */
export function seededRandom(seed: number, stream = 0): SeededRandom {
  let state = mixSeed(seed, stream);
  let spareGaussian: number | undefined;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = (): number => {
    if (spareGaussian !== undefined) {
      const g = spareGaussian;
      spareGaussian = undefined;
      return g;
    }
    const u1 = 1 - uniform(); // (0, 1]: log(0) impossible
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spareGaussian = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  const unitVector = (): [number, number, number] => {
    // Archimedes: z uniform in [-1, 1] and azimuth uniform give a uniform point on the sphere.
    const z = 2 * uniform() - 1;
    const azimuth = 2 * Math.PI * uniform();
    const rho = Math.sqrt(Math.max(0, 1 - z * z));
    return [rho * Math.cos(azimuth), rho * Math.sin(azimuth), z];
  };
  return { uniform, gaussian, unitVector };
}
