// The hybrid method of [Wijaya2024] (Fig. 1c-f): a threshold from the second derivative
// of the histogram, then SLIC superpixels on every slice, and every
// superpixel labelled as a whole by comparing its mean grey value with that
// threshold (mean > threshold: solid). See docs/segmentation-classical.md for
// what is taken from [Wijaya2024] and what is our interpretation.
import { AppError } from '../../../src-shared/errors';
import { labelVolumeLike } from './apply';
import { greyRange, stackHistogram } from './histogram';
import { type SecondDerivativeOptions, secondDerivativeThreshold } from './second-derivative';
import { slic } from './slic';
import type { ClassicalOptions, ClassicalResult } from './types';
import type { Volume } from '../../../src-shared/volume';

export interface HybridOptions extends ClassicalOptions, SecondDerivativeOptions {
  /** Mean superpixel area in pixels (default 16, about 4 x 4: small enough for ~10 px ligaments). */
  superpixelArea?: number;
  /** SLIC compactness on intensities scaled to [0, 1] by the stack range (default 0.1). */
  compactness?: number;
  /** SLIC iterations (default 10). */
  slicIterations?: number;
}

export function hybridSegment(volume: Volume, opts: HybridOptions = {}): ClassicalResult & { pixelThreshold: number; superpixels: number; fellBackToOtsu: boolean } {
  const area = opts.superpixelArea ?? 16;
  const compactness = opts.compactness ?? 0.1;
  if (!(area >= 4)) throw new AppError('invalid_input', `The superpixel area must be at least 4 pixels, got ${area}.`);
  if (!(compactness > 0)) throw new AppError('invalid_input', `The SLIC compactness must be a positive number, got ${compactness}.`);
  const h = stackHistogram(volume, { maxBins: 256, signal: opts.signal });
  const t = secondDerivativeThreshold(h, opts);
  const range = greyRange(volume);
  const [, ny, nx] = volume.shape;
  const nSegments = Math.max(1, Math.round((ny * nx) / area));
  let superpixels = 0;
  const labels = labelVolumeLike(
    volume,
    (z, out) => {
      const s = volume.slices[z];
      const sp = slic(s, ny, nx, { nSegments, compactness, maxIterations: opts.slicIterations ?? 10, range });
      superpixels += sp.count;
      const sum = new Float64Array(sp.count);
      const cnt = new Float64Array(sp.count);
      for (let i = 0; i < s.length; i++) {
        sum[sp.labels[i]] += s[i];
        cnt[sp.labels[i]]++;
      }
      for (let i = 0; i < s.length; i++) {
        const c = sp.labels[i];
        out[i] = sum[c] / cnt[c] > t.threshold ? 1 : 0;
      }
    },
    { signal: opts.signal, onProgress: opts.onProgress, what: 'superpixel-labelled', onlySlice: opts.onlySlice },
  );
  return {
    method: 'hybrid',
    labels,
    thresholds: [t.threshold],
    solidAbove: t.threshold,
    pixelThreshold: t.threshold,
    superpixels,
    fellBackToOtsu: t.fellBackToOtsu,
    convention:
      `Hybrid ([Wijaya2024]): threshold ${t.threshold} at the ${opts.peak === 'above-pore' ? 'first peak above the pore mode' : 'first peak below the solid mode'} of the second derivative of the smoothed stack histogram` +
      `${t.fellBackToOtsu ? ' (no peak found: Otsu threshold used instead)' : ''}; SLIC superpixels of about ${area} px per slice; ` +
      `a superpixel whose mean grey value is above ${t.threshold} is solid, otherwise pore.`,
  };
}
