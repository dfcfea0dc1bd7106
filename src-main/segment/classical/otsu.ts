// Otsu's threshold, numerically the same as skimage.filters.threshold_otsu
// (0.19): on an integer image skimage ignores nbins and uses one bin per
// integer value from the image minimum to its maximum; so do we, over the
// whole stack (global histogram). Float64 arithmetic in skimage's order:
//   w1 = cumsum(counts), w2 = reverse cumsum, m1 = cumsum(counts*centres)/w1,
//   m2 likewise from the top, var[i] = w1[i] * w2[i+1] * (m1[i] - m2[i+1])^2,
//   threshold = centres[argmax(var)] (first index on ties).
// The threshold is the last grey value of the dark class: value > t is solid.
// A stack of one single value returns that value (nothing is solid).
import { applyThreshold } from './apply';
import { stackHistogram } from './histogram';
import type { ClassicalOptions, ClassicalResult } from './types';
import type { Volume } from '../../../src-shared/volume';

/** Otsu threshold of a histogram (counts, bin centres), as skimage's threshold_otsu(hist=(counts, centres)). */
export function otsuThresholdFromHistogram(counts: ArrayLike<number>, centers: ArrayLike<number>): { threshold: number; index: number } {
  let start = 0;
  let end = counts.length;
  while (start < end && counts[start] === 0) start++;
  while (end > start && counts[end - 1] === 0) end--;
  const n = end - start;
  if (n === 0) return { threshold: Number.NaN, index: -1 };
  if (n === 1) return { threshold: centers[start], index: start };
  const c = Array.from({ length: n }, (_, i) => counts[start + i]);
  const x = Array.from({ length: n }, (_, i) => centers[start + i]);
  const w1 = new Float64Array(n);
  const s1 = new Float64Array(n);
  const w2 = new Float64Array(n);
  const s2 = new Float64Array(n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    a += c[i];
    b += c[i] * x[i];
    w1[i] = a;
    s1[i] = b;
  }
  a = 0;
  b = 0;
  for (let i = n - 1; i >= 0; i--) {
    a += c[i];
    b += c[i] * x[i];
    w2[i] = a;
    s2[i] = b;
  }
  let best = -Infinity;
  let idx = 0;
  for (let i = 0; i < n - 1; i++) {
    const d = s1[i] / w1[i] - s2[i + 1] / w2[i + 1];
    const v = w1[i] * w2[i + 1] * (d * d);
    if (v > best) {
      best = v;
      idx = i;
    }
  }
  return { threshold: x[idx], index: start + idx };
}

/** Global Otsu threshold of an 8/16-bit stack and the labels value > t = solid. */
export function otsuSegment(volume: Volume, opts: ClassicalOptions = {}): ClassicalResult {
  const h = stackHistogram(volume, { signal: opts.signal });
  const { threshold } = otsuThresholdFromHistogram(h.counts, h.centers);
  const labels = applyThreshold(volume, threshold, opts);
  return {
    method: 'otsu',
    labels,
    thresholds: [threshold],
    solidAbove: threshold,
    convention:
      `Otsu threshold ${threshold} from the histogram of the whole stack (one bin per grey value, ${h.min}..${h.max}); ` +
      `voxels brighter than ${threshold} are solid (1), the rest pore (0). Same value as skimage threshold_otsu.`,
  };
}
