// Maximum-likelihood gamma fit of slice thicknesses (the seeds model milling
// as gamma-distributed around the target, Article II 2.1.2), location fixed at
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

export function fitGamma(values: readonly (number | null)[]): GammaFit {
  const x = values.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  const excluded = values.length - x.length;
  if (x.length < 2) throw new AppError('invalid_input', `a gamma fit needs at least two positive thicknesses, got ${x.length}: resolve the flagged slices first or choose a longer series.`);
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const meanLog = x.reduce((s, v) => s + Math.log(v), 0) / x.length;
  const s = Math.log(mean) - meanLog;
  if (!(s > 1e-14)) throw new AppError('invalid_input', 'all thicknesses are equal, so their spread (and the gamma shape) is undefined: there is nothing to fit.');
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
