// Multi-Otsu thresholds, numerically the same as
// skimage.filters.threshold_multiotsu (0.19, LUT variant, Liao et al. 2001):
// - histogram: the global integer histogram (one bin per grey value, min..max);
//   a 16-bit stack whose range is wider than maxBins is re-binned to equal
//   integer-width bins (histogram.ts); the result then equals skimage called
//   with hist=(counts, centres).
// - probabilities p = counts / total rounded to float32; all sums, squares and
//   divisions below are rounded to float32 (Math.fround) as in skimage's Cython.
// - moments use the bin index i (not the centre): P[i] = P[i-1] + p[i],
//   S[i] = S[i-1] + i p[i], with skimage's start S[0] = p[0] (kept, so results match).
// - H(i, j) = (S[j] - S[i-1])^2 / (P[j] - P[i-1]) (0 when the class is empty);
//   H(0, j) = S[j]^2 / P[j] for j >= 1, H(0, 0) = 0 (skimage's LUT leaves it 0).
// - exhaustive search over t0 < t1 < ... in lexicographic order, sigma =
//   H(0,t0) + H(t_last+1, n-1) + sum H(t_k+1, t_k+1); strictly greater wins
//   (the first maximum is kept).
// Threshold = centre of the last bin of the darker class: class = number of
// thresholds below the value (value > t goes up).
import { AppError } from '../../../src-shared/errors';
import { labelVolumeLike } from './apply';
import { stackHistogram } from './histogram';
import type { ClassicalOptions, ClassicalResult } from './types';
import type { Volume } from '../../../src-shared/volume';

const f = Math.fround;

/** Threshold bin indices of skimage's multi-Otsu for a histogram without empty ends. */
export function multiOtsuIndices(counts: ArrayLike<number>, classes: number): number[] {
  const n = counts.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i];
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = counts[i] / total;
  const tc = classes - 1;
  const nonzero: number[] = [];
  for (let i = 0; i < n; i++) if (p[i] > 0) nonzero.push(i);
  if (nonzero.length < classes) {
    throw new AppError('invalid_input', `The stack has only ${nonzero.length} different grey values: it cannot be split into ${classes} classes. Use fewer classes or check the import.`);
  }
  if (nonzero.length === classes) return nonzero.slice(0, -1);
  const P = new Float32Array(n);
  const S = new Float32Array(n);
  P[0] = p[0];
  S[0] = p[0];
  for (let i = 1; i < n; i++) {
    P[i] = f(P[i - 1] + p[i]);
    S[i] = f(S[i - 1] + f(i * p[i]));
  }
  const H = (i: number, j: number): number => {
    if (i === 0) return j === 0 || !(P[j] > 0) ? 0 : f(f(S[j] * S[j]) / P[j]);
    const w = f(P[j] - P[i - 1]);
    if (!(w > 0)) return 0;
    const m = f(S[j] - S[i - 1]);
    return f(f(m * m) / w);
  };
  const first = new Float32Array(n); // H(0, t)
  const last = new Float32Array(n); // H(t + 1, n - 1)
  for (let t = 0; t < n; t++) {
    first[t] = H(0, t);
    last[t] = t + 1 <= n - 1 ? H(t + 1, n - 1) : 0;
  }
  const cur = new Array<number>(tc).fill(0);
  let best = new Array<number>(tc).fill(0);
  let sigmaMax = 0;
  const visit = (histIdx: number, k: number): void => {
    if (k < tc) {
      for (let idx = histIdx; idx < n - tc + k; idx++) {
        cur[k] = idx;
        visit(idx + 1, k + 1);
      }
      return;
    }
    let sigma = f(first[cur[0]] + last[cur[tc - 1]]);
    for (let q = 0; q < tc - 1; q++) sigma = f(sigma + H(cur[q] + 1, cur[q + 1]));
    if (sigma > sigmaMax) {
      sigmaMax = sigma;
      best = cur.slice();
    }
  };
  visit(0, 0);
  return best;
}

/** Thresholds (bin centres) of skimage's threshold_multiotsu(hist=(counts, centres), classes). */
export function multiOtsuThresholdsFromHistogram(counts: ArrayLike<number>, centers: ArrayLike<number>, classes = 3): number[] {
  let start = 0;
  let end = counts.length;
  while (start < end && counts[start] === 0) start++;
  while (end > start && counts[end - 1] === 0) end--;
  const c = Array.from({ length: end - start }, (_, i) => counts[start + i]);
  return multiOtsuIndices(c, classes).map((i) => centers[start + i]);
}

export interface MultiOtsuOptions extends ClassicalOptions {
  /** 2..4 (default 3). */
  classes?: number;
  /** Largest number of histogram bins (default 4096, or 256 for 4 classes); only 16-bit stacks can exceed it. */
  maxBins?: number;
}

/**
 * Multi-Otsu over the whole stack. Only the brightest class is solid; the
 * middle class(es) (shine-through: deeper solid seen through pores) are pore.
 */
export function multiOtsuSegment(volume: Volume, opts: MultiOtsuOptions = {}): ClassicalResult {
  const classes = opts.classes ?? 3;
  if (!Number.isInteger(classes) || classes < 2 || classes > 4) {
    throw new AppError('invalid_input', `Multi-Otsu takes 2, 3 or 4 classes, got ${classes}.`);
  }
  const h = stackHistogram(volume, { maxBins: opts.maxBins ?? (classes === 4 ? 256 : 4096), signal: opts.signal });
  const thresholds = multiOtsuThresholdsFromHistogram(h.counts, h.centers, classes);
  const solidAbove = thresholds[thresholds.length - 1];
  const labels = labelVolumeLike(
    volume,
    (z, out) => {
      const s = volume.slices[z];
      for (let i = 0; i < s.length; i++) out[i] = s[i] > solidAbove ? 1 : 0;
    },
    { ...opts, what: 'multi-Otsu labelled' },
  );
  const bins = h.binWidth === 1 ? `one bin per grey value, ${h.min}..${h.max}` : `${h.counts.length} bins of ${h.binWidth} grey values`;
  return {
    method: 'multi-otsu',
    labels,
    thresholds,
    solidAbove,
    convention:
      `Multi-Otsu with ${classes} classes on the histogram of the whole stack (${bins}): thresholds ${thresholds.join(', ')}. ` +
      `Only the brightest class (above ${solidAbove}) is solid; the darker classes, shine-through included, are pore.`,
  };
}
