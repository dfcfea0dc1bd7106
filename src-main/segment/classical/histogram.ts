// The global grey-value histogram of a whole stack (never per slice).
//
// Integer histogram (as skimage.exposure.histogram does for integer images,
// whatever nbins says): one bin per integer value from the stack minimum to
// its maximum, bin centre = the value itself. Optionally re-binned to at most
// maxBins bins of equal integer width w = ceil((max - min + 1) / maxBins):
// bin k holds the values min + k w ... min + (k + 1) w - 1 and its centre is
// min + k w + (w - 1) / 2.
import { AppError, throwIfAborted } from '../../../src-shared/errors';
import type { Volume } from '../../../src-shared/volume';

export interface GreyHistogram {
  /** Voxel count per bin (float64 so that huge stacks never overflow). */
  counts: Float64Array;
  /** Centre grey value of every bin. */
  centers: Float64Array;
  /** Width of a bin in grey values (1 for the integer histogram). */
  binWidth: number;
  /** Smallest and largest grey value in the stack. */
  min: number;
  max: number;
  /** Number of voxels. */
  total: number;
}

/** Rejects anything but an 8- or 16-bit grey stack, with a message that says what to do. */
export function requireGreyStack(volume: Volume, what = 'the stack'): void {
  if (volume.dtype !== 'uint8' && volume.dtype !== 'uint16') {
    throw new AppError(
      'unsupported_format',
      `Classical segmentation needs an 8- or 16-bit grey stack, but ${what} holds ${volume.dtype} values: convert it to 8 or 16 bit first (e.g. export it from Fiji as 16-bit).`,
    );
  }
  const n = volume.shape[1] * volume.shape[2];
  if (volume.slices.length !== volume.shape[0] || volume.slices.some((s) => s.length !== n)) {
    throw new AppError('invalid_input', `${what} does not match its shape ${volume.shape.join(' x ')}: reimport it.`);
  }
  if (volume.shape[0] * n === 0) throw new AppError('invalid_input', `${what} is empty: import a stack with at least one slice.`);
}

/** Stack minimum and maximum over all slices. */
export function greyRange(volume: Volume): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const s of volume.slices) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

/** Global integer histogram, optionally re-binned to at most maxBins bins (see file comment). */
export function stackHistogram(volume: Volume, opts: { maxBins?: number; signal?: AbortSignal } = {}): GreyHistogram {
  requireGreyStack(volume);
  const { min, max } = greyRange(volume);
  const range = max - min + 1;
  const maxBins = opts.maxBins ?? range;
  if (!Number.isInteger(maxBins) || maxBins < 1) throw new AppError('invalid_input', `The number of histogram bins must be a positive integer, got ${maxBins}.`);
  const w = Math.ceil(range / maxBins);
  const nb = Math.ceil(range / w);
  const counts = new Float64Array(nb);
  const raw = new Float64Array(range);
  let total = 0;
  for (const s of volume.slices) {
    throwIfAborted(opts.signal);
    for (let i = 0; i < s.length; i++) raw[s[i] - min]++;
    total += s.length;
  }
  for (let v = 0; v < range; v++) counts[Math.floor(v / w)] += raw[v];
  const centers = new Float64Array(nb);
  for (let k = 0; k < nb; k++) centers[k] = min + k * w + (w - 1) / 2;
  return { counts, centers, binWidth: w, min, max, total };
}

/** Index of the bin that holds grey value v. */
export function binOf(h: GreyHistogram, v: number): number {
  return Math.min(h.counts.length - 1, Math.max(0, Math.floor((v - h.min) / h.binWidth)));
}
