// What the grey values alone say about the solid fraction: Otsu's threshold and the
// k-means (k = 3, brightest class solid) threshold of the whole stack's histogram and
// the share of voxels above each. The histogram is built while the slices stream past
// (one bin per integer grey value, as stackHistogram makes it), so a model run over a
// stack larger than memory gets it for free.
import type { SliceArray } from '../../../src-shared/dtype';
import { AppError } from '../../../src-shared/errors';
import { kmeansHistogram, otsuThresholdFromHistogram, type GreyHistogram } from '../classical';

export interface GreyEvidence {
  otsuThreshold: number;
  /** Share of voxels brighter than Otsu's threshold. */
  otsuSolidFraction: number;
  kmeansThreshold: number;
  /** Share of voxels brighter than the k-means threshold between the middle and the brightest class. */
  kmeansSolidFraction: number;
}

/** Integer histogram built slice by slice; finish() gives what stackHistogram gives for the same slices. */
export class StreamingHistogram {
  private raw: Float64Array | undefined;
  private total = 0;

  add(slice: SliceArray): void {
    if (!(slice instanceof Uint8Array || slice instanceof Uint16Array)) {
      throw new AppError('unsupported_format', 'The out-of-distribution check needs an 8- or 16-bit grey stack: convert float stacks to 16 bit first.');
    }
    this.raw ??= new Float64Array(slice instanceof Uint8Array ? 256 : 65536);
    if (this.raw.length === 256 && slice instanceof Uint16Array) {
      const wide = new Float64Array(65536);
      wide.set(this.raw);
      this.raw = wide;
    }
    const raw = this.raw;
    for (let i = 0; i < slice.length; i++) raw[slice[i]]++;
    this.total += slice.length;
  }

  finish(): GreyHistogram {
    const raw = this.raw;
    if (!raw || this.total === 0) throw new AppError('invalid_input', 'No grey values were seen: the stack is empty.');
    let min = 0;
    while (raw[min] === 0) min++;
    let max = raw.length - 1;
    while (raw[max] === 0) max--;
    const counts = raw.slice(min, max + 1);
    const centers = Float64Array.from({ length: counts.length }, (_, k) => min + k);
    return { counts, centers, binWidth: 1, min, max, total: this.total };
  }
}

function shareAbove(h: GreyHistogram, t: number): number {
  let above = 0;
  for (let k = 0; k < h.counts.length; k++) if (h.centers[k] > t) above += h.counts[k];
  return above / h.total;
}

export function greyEvidence(h: GreyHistogram): GreyEvidence {
  const { threshold: otsuThreshold } = otsuThresholdFromHistogram(h.counts, h.centers);
  const kmeansThreshold = kmeansHistogram(h, 3).thresholds[1];
  return { otsuThreshold, otsuSolidFraction: shareAbove(h, otsuThreshold), kmeansThreshold, kmeansSolidFraction: shareAbove(h, kmeansThreshold) };
}
