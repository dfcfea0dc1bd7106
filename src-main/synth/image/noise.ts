// Detector noise ([Sardhara2022], 2.2.1): Poisson (counting of the beam
// electrons) then additive Gaussian (electronics), zero mean, variance 0.001 on
// the [0, 1] scale; then quantisation. skimage's random_noise('poisson') scales by
// the number of distinct grey values, which for a continuous image means almost no
// noise; we state the dose instead: I -> Poisson(N I) / N with N electrons per pixel
// at full scale.
import type { SeededRandom } from '../seeded-random';

export interface NoiseParams {
  /** Detected electrons per pixel at intensity 1; Infinity = no Poisson noise. */
  electronsPerPixel: number;
  /** Variance of the additive Gaussian noise on [0, 1]. */
  gaussianVariance: number;
}

export const DEFAULT_NOISE: NoiseParams = { electronsPerPixel: 400, gaussianVariance: 0.001 };

/** Poisson deviate: Knuth's product method for small means, a rounded normal from 30 on (error < 1 % of sd). */
export function poisson(mean: number, rng: SeededRandom): number {
  if (!(mean > 0)) return 0;
  if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.gaussian()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

/**
 * Returns a new image with Poisson then Gaussian noise; values are not clipped.
 * Where the Poisson mean is >= 30 its normal approximation and the Gaussian add up
 * to one normal deviate, N(v, v / N + sigma^2): one draw instead of two.
 */
export function addDetectorNoise(image: Float32Array, params: NoiseParams, rng: SeededRandom): Float32Array {
  const out = new Float32Array(image.length);
  const n = params.electronsPerPixel;
  const variance = params.gaussianVariance;
  const sd = Math.sqrt(variance);
  const poissonOn = Number.isFinite(n);
  for (let i = 0; i < image.length; i++) {
    const v = Math.max(0, image[i]);
    if (!poissonOn) out[i] = image[i] + sd * rng.gaussian();
    else if (v * n >= 30) out[i] = v + Math.sqrt(v / n + variance) * rng.gaussian();
    else out[i] = poisson(v * n, rng) / n + sd * rng.gaussian();
  }
  return out;
}

/** [0, 1] -> integers 0..max, clipped and rounded. */
export function quantise(image: Float32Array, dtype: 'uint8' | 'uint16'): Uint8Array | Uint16Array {
  const max = dtype === 'uint8' ? 255 : 65535;
  const out = dtype === 'uint8' ? new Uint8Array(image.length) : new Uint16Array(image.length);
  for (let i = 0; i < image.length; i++) {
    const v = image[i];
    out[i] = v <= 0 ? 0 : v >= 1 ? max : Math.round(v * max);
  }
  return out;
}
