// k-means (Lloyd) on grey values, run on the global integer histogram
// (one bin per grey value, min..max) instead of on every voxel: the same
// result, in O(bins) per iteration.
// - Initialisation (deterministic): centre j = the sorted voxel value at
//   0-based rank floor(q_j (N - 1)), q_j = (2j + 1) / (2k), i.e. the 1/6, 3/6,
//   5/6 quantiles for k = 3.
// - Assignment: every grey value goes to the nearest centre; a tie goes to the
//   darker centre. Update: centre = mean grey value of its voxels; an empty
//   cluster keeps its centre. Stop when no assignment changes (max 1000 steps).
// - Clusters are ordered by centre (1D Lloyd keeps the initial order);
//   thresholds = midpoints between neighbouring centres, so a voxel is in
//   cluster k when its value is > k thresholds (ties at a midpoint go down).
// - Labels: only the brightest cluster is solid; the middle one
//   (shine-through) and the darkest are pore.
import { AppError } from '../../../src-shared/errors';
import { applyThreshold } from './apply';
import { type GreyHistogram, stackHistogram } from './histogram';
import type { ClassicalOptions, ClassicalResult } from './types';
import type { Volume } from '../../../src-shared/volume';

export interface KMeansFit {
  /** Cluster centres (mean grey value), ascending. */
  centers: number[];
  /** Midpoints between neighbouring centres, ascending. */
  thresholds: number[];
  /** Initial centres (quantiles). */
  initialCenters: number[];
  iterations: number;
  /** Voxels per cluster. */
  sizes: number[];
}

/** Value at 0-based rank r of the sorted voxels, from the histogram. */
function valueAtRank(h: GreyHistogram, r: number): number {
  let cum = 0;
  for (let b = 0; b < h.counts.length; b++) {
    cum += h.counts[b];
    if (cum > r) return h.centers[b];
  }
  return h.centers[h.counts.length - 1];
}

/** Lloyd's k-means on a histogram with bin centres as values (see file comment). */
export function kmeansHistogram(h: GreyHistogram, k = 3, maxIterations = 1000): KMeansFit {
  const n = h.counts.length;
  const init = Array.from({ length: k }, (_, j) => valueAtRank(h, Math.floor(((2 * j + 1) / (2 * k)) * (h.total - 1))));
  const c = init.slice();
  const assign = new Int32Array(n).fill(-1);
  let it = 0;
  const sizes = new Array<number>(k).fill(0);
  for (; it < maxIterations; it++) {
    let changed = false;
    for (let b = 0; b < n; b++) {
      const v = h.centers[b];
      let best = 0;
      let bd = Math.abs(v - c[0]);
      for (let j = 1; j < k; j++) {
        const d = Math.abs(v - c[j]);
        if (d < bd) {
          bd = d;
          best = j;
        }
      }
      if (assign[b] !== best) {
        assign[b] = best;
        changed = true;
      }
    }
    if (!changed) break;
    const sw = new Array<number>(k).fill(0);
    const sv = new Array<number>(k).fill(0);
    for (let b = 0; b < n; b++) {
      sw[assign[b]] += h.counts[b];
      sv[assign[b]] += h.counts[b] * h.centers[b];
    }
    for (let j = 0; j < k; j++) if (sw[j] > 0) c[j] = sv[j] / sw[j];
  }
  for (let b = 0; b < n; b++) sizes[assign[b]] += h.counts[b];
  const order = c.map((v, j) => j).sort((a, b) => c[a] - c[b]);
  const centers = order.map((j) => c[j]);
  const thresholds = centers.slice(1).map((v, j) => (centers[j] + v) / 2);
  return { centers, thresholds, initialCenters: init, iterations: it, sizes: order.map((j) => sizes[j]) };
}

export interface KMeansOptions extends ClassicalOptions {
  /** Number of clusters, 2..8 (default 3). */
  k?: number;
}

/** k-means on the grey values of the whole stack; only the brightest cluster is solid. */
export function kmeansSegment(volume: Volume, opts: KMeansOptions = {}): ClassicalResult & { fit: KMeansFit } {
  const k = opts.k ?? 3;
  if (!Number.isInteger(k) || k < 2 || k > 8) throw new AppError('invalid_input', `k-means takes 2 to 8 clusters, got ${k}.`);
  const h = stackHistogram(volume, { signal: opts.signal });
  const fit = kmeansHistogram(h, k);
  const solidAbove = fit.thresholds[k - 2];
  const labels = applyThreshold(volume, solidAbove, opts);
  return {
    method: 'kmeans',
    labels,
    thresholds: fit.thresholds,
    solidAbove,
    fit,
    convention:
      `k-means with k = ${k} on the grey values of the whole stack (start at the ${fit.initialCenters.length} quantiles (2j+1)/(2k), ${fit.iterations} Lloyd steps): ` +
      `centres ${fit.centers.map((v) => v.toFixed(2)).join(', ')}. Only the brightest cluster (value > ${solidAbove.toFixed(2)}) is solid; ` +
      `the others, shine-through included, are pore.`,
  };
}
