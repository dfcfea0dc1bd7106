// Seeded gamma deviates (Marsaglia & Tsang 2000): exact for shape >= 1; for
// shape < 1 the usual boost Gamma(k) = Gamma(k + 1) U^(1/k).
import type { SeededRandom } from '../seeded-random';
import { invalid } from '../synth-inputs';

export function gammaDeviate(shape: number, scale: number, rng: SeededRandom): number {
  if (!(shape > 0) || !(scale > 0)) throw invalid(`gamma shape and scale must be positive, got ${shape} and ${scale}`);
  if (shape < 1) return gammaDeviate(shape + 1, scale, rng) * Math.pow(1 - rng.uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.gaussian();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** Shape k = (mean / sd)^2 and scale theta = sd^2 / mean of the gamma with that mean and sd. */
export function gammaFromMeanSd(meanNm: number, sdNm: number): { shape: number; scale: number } {
  if (!(meanNm > 0) || !(sdNm > 0)) throw invalid(`slice thickness mean and sd must be positive numbers of nm, got ${meanNm} and ${sdNm}`);
  return { shape: (meanNm / sdNm) ** 2, scale: (sdNm * sdNm) / meanNm };
}
