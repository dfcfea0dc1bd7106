// A distribution of lengths as JSON: fixed-width bins from 0, with mean and sd.
import { AppError } from '../../../src-shared/errors';

/** More bins than this is a bin width typed in the wrong unit. */
export const MAX_HISTOGRAM_BINS = 100_000;
export interface LengthDistributionNm {
  /** Bin edges in nm, length = counts.length + 1, from 0 in steps of binWidthNm. */
  binEdgesNm: number[];
  /** Voxels per bin [edge_i, edge_i+1); the last bin includes its upper edge. */
  counts: number[];
  /** Voxels counted. */
  voxelCount: number;
  meanNm: number;
  /** Population standard deviation (divide by the number of voxels), nm. */
  sdNm: number;
  minNm: number;
  maxNm: number;
}

/** Histogram of the values of `values` at the indices where `include` is 1. */
export function lengthDistributionNm(values: Float64Array, include: Uint8Array, binWidthNm: number): LengthDistributionNm | null {
  let n = 0, sum = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (include[i] === 0) continue;
    const v = values[i];
    n++; sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return null;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (include[i] !== 0) ss += (values[i] - mean) ** 2;
  const bins = Math.max(1, Math.ceil(max / binWidthNm + 1e-12));
  if (bins > MAX_HISTOGRAM_BINS) {
    throw new AppError('invalid_input', `A bin width of ${binWidthNm} nm gives ${bins} bins up to ${max} nm; choose a bin width of at least ${max / MAX_HISTOGRAM_BINS} nm.`);
  }
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    if (include[i] === 0) continue;
    counts[Math.min(bins - 1, Math.floor(values[i] / binWidthNm))]++;
  }
  return {
    binEdgesNm: Array.from({ length: bins + 1 }, (_, k) => k * binWidthNm),
    counts,
    voxelCount: n,
    meanNm: mean,
    sdNm: Math.sqrt(ss / n),
    minNm: min,
    maxNm: max,
  };
}
