// Maximum-likelihood gamma fit of slice thicknesses ([Sardhara2023] 2.1.2 models milling
// as gamma-distributed around the target), location fixed at
// 0 as scipy.stats.gamma.fit(x, floc=0): with s = log(mean) - mean(log x) the
// shape k solves log k - digamma(k) = s (Newton, from Minka's closed-form
// start), and scale = mean / k.
import { AppError } from '../../src-shared/errors';
import { digamma, trigamma } from './special-functions';

export interface GammaFit {
  shape: number;
  scaleNm: number;
  /** Mean k * scale and sd sqrt(k) * scale of the fitted distribution, nm. */
  meanNm: number;
  sdNm: number;
  /** Values used (finite and > 0) and left out. */
  n: number;
  excluded: number;
}

/** Finite positive values, their mean and the statistic s = log(mean) - mean(log x). */
function gammaInputs(values: readonly (number | null)[]) {
  const x = values.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  const mean = x.reduce((sum, v) => sum + v, 0) / x.length;
  const meanLog = x.reduce((sum, v) => sum + Math.log(v), 0) / x.length;
  return { x, excluded: values.length - x.length, mean, s: Math.log(mean) - meanLog };
}

/** Why the series cannot be fitted (too few values, no spread), or undefined when it can. */
function whyNoFit(x: readonly number[], s: number): string | undefined {
  if (x.length < 2) return `a gamma fit needs at least two positive thicknesses, got ${x.length}`;
  // A constant series (every slice milled to the same value, or a table of nominal values) has no spread: the shape is infinite.
  if (!(s > 1e-14)) return `all thicknesses are equal (${x.length} values of ${x[0]} nm), so there is no spread to fit a gamma distribution to`;
  return undefined;
}

export function fitGamma(values: readonly (number | null)[]): GammaFit {
  const { x, excluded, mean, s } = gammaInputs(values);
  const why = whyNoFit(x, s);
  if (why) {
    const todo = x.length < 2 ? 'resolve the flagged slices first or choose a longer series' : 'the mean alone describes the series (sd 0)';
    throw new AppError('invalid_input', `${why}: ${todo}.`);
  }
  return fitShape(x, excluded, mean, s);
}

/**
 * The fit, or null with the reason when the series has too few values or no
 * spread. The thickness step uses this: a constant table (every slice 10 nm)
 * is still applied, with the fit skipped and the reason in its notes.
 */
export function tryFitGamma(values: readonly (number | null)[]): { fit: GammaFit } | { fit: null; skipped: string } {
  const { x, excluded, mean, s } = gammaInputs(values);
  const why = whyNoFit(x, s);
  return why ? { fit: null, skipped: `gamma fit skipped: ${why}` } : { fit: fitShape(x, excluded, mean, s) };
}

function fitShape(x: readonly number[], excluded: number, mean: number, s: number): GammaFit {
  let k = (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s);
  for (let iter = 0; iter < 100; iter++) {
    const f = Math.log(k) - digamma(k) - s;
    const df = 1 / k - trigamma(k);
    let next = k - f / df;
    if (!(next > 0)) next = k / 2; // Newton overshoots below 0 only from a poor start; halve instead
    const done = Math.abs(next - k) <= 1e-14 * k;
    k = next;
    if (done) break;
  }
  const scaleNm = mean / k;
  return { shape: k, scaleNm, meanNm: k * scaleNm, sdNm: Math.sqrt(k) * scaleNm, n: x.length, excluded };
}
