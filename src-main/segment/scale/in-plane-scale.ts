// The in-plane scale at which a model sees a stack. A network learns features of a
// size in pixels; the model card says how large they were in its training stacks (the
// mean chord of Otsu's labels, trainedRange.otsuChordPx). A stack at another pixel
// scale is resampled in x and y by a factor s before the model runs, so that its chord
// lies in that range, and the model's probabilities are resampled back afterwards.
//
// The chord is measured as the out-of-distribution check measures it (structure-size.ts):
// Otsu's labels of a few sampled crops, solid and pore, along x and y; s = target / chord.
//
// Target: the middle of the range (geometric mean of its ends: scale is a ratio), not its
// nearer end. The range is the spread of a handful of training stacks and the measured
// chord moves with noise and blur, so aiming at an end would leave the stack on the edge
// of what the model knows, and often just outside it.
//
// Whole ratios: the factor is snapped to 1/k or k (k a whole number, nearest in ratio).
// Shrinking by 1/k is then a plain k x k block mean, the same for every model pixel; a
// fractional factor mixes one to four stack pixels per model pixel, a blur that varies
// from pixel to pixel and that the model reads as a texture it never saw (on the app's
// synthetic stack enlarged 2 x by repeating pixels: MP 0.73 % at 1/2, 2.2 % at 0.537, the
// unsnapped factor; 0.62 % at the native scale). The chord is no finer a ruler than that anyway.
//
// When: only where the chord lies outside the range by more than a tolerance (default
// 1.35 x); inside that band s = 1. Resampling has a price: the labels come from
// probabilities at the model's pixel size, and the chord is not a clean ruler (noise cuts
// Otsu's labels into short runs, smoothing joins them, blur widens thin ligaments). The
// app's generator rendering its structure at 1.25 nm and 5 nm pixels (2 x and 1/2 the
// trained scale, pixel noise and beam blur of its own) gives chords only 1.29 x outside
// the range, and the default model does better on those stacks as they are (MP 0.39 %
// and 3.4 %) than resampled by 1/2 and 2 (4.0 % and 11.5 %): its training already spans
// that much. A stack enlarged or averaged from the trained scale (chord 2.0 x and 1.45 x
// outside) is where resampling pays (tests/segment/in-plane-scale-model.test.ts). The
// tolerance sits between the two, calibrated on these few cases only.
// Pure: typed arrays in, numbers out.
import type { SliceArray } from '../../../src-shared/dtype';
import type { VoxelSizeNm } from '../../../src-shared/volume';
import { otsuThresholdFromHistogram } from '../classical';
import { chordLengths } from '../ood/structure-size';
import { resampleSlice } from './resample';

/** Limits of the factor: shrink to 1/8 at most, enlarge 4 x at most (memory grows with s^2). */
export const MIN_SCALE = 1 / 8;
export const MAX_SCALE = 4;
/** Default tolerance: resample only beyond 1.35 x outside the trained range. */
export const DEFAULT_TOLERANCE = 1.35;

/** Crops of the grey stack the chord is measured on (all rows x columns). */
export interface ChordSample {
  rows: number;
  columns: number;
  slices: SliceArray[];
}

export interface InPlaneScale {
  /** The factor applied to x and y (1: the stack is used as it is). */
  factor: number;
  /** Mean Otsu chord of the stack as it is, px. */
  measuredChordPx: number;
  /** Mean Otsu chord of the sampled crops resampled by `factor`, px (= measuredChordPx when factor = 1). */
  chordAtFactorPx: number;
  /** The card's trained range, px, and the chord aimed at (its geometric middle). */
  trainedChordPx: [number, number];
  targetChordPx: number;
  /** target / measured chord, before snapping to a whole ratio and clamping (1 when not resampled). */
  idealFactor: number;
  /** The factor hit MIN_SCALE or MAX_SCALE. */
  clamped: boolean;
  /** The stack is resampled only where its chord lies more than this factor outside the trained range. */
  tolerance: number;
}

/** The stack's size at factor s: rounded, at least 1 pixel. */
export function scaledSize(ny: number, nx: number, s: number): [number, number] {
  return [Math.max(1, Math.round(ny * s)), Math.max(1, Math.round(nx * s))];
}

/** Otsu threshold of the sample's grey values (integer histogram of 8/16-bit values; 256 bins for float). */
export function sampleOtsuThreshold(slices: SliceArray[]): number {
  let min = Infinity;
  let max = -Infinity;
  for (const s of slices) for (let i = 0; i < s.length; i++) {
    if (s[i] < min) min = s[i];
    if (s[i] > max) max = s[i];
  }
  if (!(max > min)) return min;
  const integer = slices.every((s) => !(s instanceof Float32Array));
  const bins = integer ? max - min + 1 : 256;
  const width = integer ? 1 : (max - min) / 256;
  const counts = new Float64Array(bins);
  for (const s of slices) for (let i = 0; i < s.length; i++) counts[Math.min(bins - 1, Math.floor((s[i] - min) / width))]++;
  const centers = Float64Array.from({ length: bins }, (_, k) => (integer ? min + k : min + (k + 0.5) * width));
  return otsuThresholdFromHistogram(counts, centers).threshold;
}

/** Mean chord (px) of the labels value > threshold of the sample resampled in-plane by s. */
export function sampleChordPx(sample: ChordSample, threshold: number, s = 1, voxel: VoxelSizeNm = { x: 1, y: 1, z: 1 }): number {
  const [my, mx] = s === 1 ? [sample.rows, sample.columns] : scaledSize(sample.rows, sample.columns, s);
  const labels = sample.slices.map((slice) => {
    const g = s === 1 ? slice : resampleSlice(slice, sample.rows, sample.columns, my, mx);
    const l = new Uint8Array(g.length);
    for (let i = 0; i < g.length; i++) l[i] = g[i] > threshold ? 1 : 0;
    return l;
  });
  return chordLengths(labels, [labels.length, my, mx], voxel).meanPx;
}

const clampScale = (s: number): number => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
const inside = (c: number, [lo, hi]: readonly [number, number]): boolean => c >= lo && c <= hi;

/**
 * The factor for a stack whose chord at factor s is chordAt(s) (px): 1 where chordAt(1) lies
 * within [low / tolerance, high * tolerance]; else target / chordAt(1) snapped to a whole
 * ratio (k or 1/k) and clamped to [MIN_SCALE, MAX_SCALE]; chordAt is measured once more
 * there for the record.
 */
export function decideScale(chordAt: (s: number) => number, trained: readonly [number, number], tolerance = DEFAULT_TOLERANCE): InPlaneScale {
  const [lo, hi] = trained;
  if (!(lo > 0) || !(hi >= lo)) throw new RangeError(`decideScale: the trained chord range must be 0 < low <= high, got ${lo}-${hi}`);
  if (!(tolerance >= 1)) throw new RangeError(`decideScale: the tolerance is a factor >= 1, got ${tolerance}`);
  const target = Math.sqrt(lo * hi);
  const measured = chordAt(1);
  const base = { measuredChordPx: measured, trainedChordPx: [lo, hi] as [number, number], targetChordPx: target, tolerance };
  if (!(measured > 0) || inside(measured, [lo / tolerance, hi * tolerance])) return { factor: 1, idealFactor: 1, chordAtFactorPx: measured, clamped: false, ...base };
  const ideal = target / measured;
  const snapped = snapToWholeRatio(ideal);
  const factor = clampScale(snapped);
  return { factor, idealFactor: ideal, chordAtFactorPx: chordAt(factor), clamped: factor !== snapped, ...base };
}

/** s snapped to the nearest (in ratio) k or 1/k, k a whole number >= 1. */
export function snapToWholeRatio(s: number): number {
  if (!(s > 0)) throw new RangeError(`snapToWholeRatio: the factor must be positive, got ${s}`);
  const x = s >= 1 ? s : 1 / s;
  const lo = Math.max(1, Math.floor(x));
  const k = Math.abs(Math.log(x / lo)) <= Math.abs(Math.log((lo + 1) / x)) ? lo : lo + 1;
  return s >= 1 ? k : 1 / k;
}

/** decideScale on sampled crops: Otsu threshold of the crops, chords of their labels at each tried s. */
export function decideInPlaneScale(sample: ChordSample, trained: readonly [number, number], opts: { threshold?: number; tolerance?: number } = {}): InPlaneScale {
  const threshold = opts.threshold ?? sampleOtsuThreshold(sample.slices);
  return decideScale((s) => sampleChordPx(sample, threshold, s), trained, opts.tolerance);
}

const round2 = (x: number): string => String(+x.toFixed(2));

/** The sentence for the run record and the result. */
export function describeInPlaneScale(r: InPlaneScale): string {
  const range = `${round2(r.trainedChordPx[0])}-${round2(r.trainedChordPx[1])} px`;
  if (r.factor === 1) {
    if (!(r.measuredChordPx > 0)) return `not resampled: Otsu's labels of the sampled slices have no chords to measure (one phase only)`;
    const [lo, hi] = r.trainedChordPx;
    const where = r.measuredChordPx >= lo && r.measuredChordPx <= hi ? 'lies in' : `is within ${round2(r.tolerance)} x of`;
    return `not resampled: the measured chord (${r.measuredChordPx.toFixed(1)} px) ${where} the trained range (${range})`;
  }
  const limit = r.clamped ? ` (the limit; the trained size is further away)` : '';
  return (
    `resampled in-plane by ${round2(r.factor)}x${limit} to the trained feature size: measured chord ${r.measuredChordPx.toFixed(1)} px vs trained ${range}` +
    ` (${round2(r.idealFactor)}x would reach its middle; whole ratios only), ${r.chordAtFactorPx.toFixed(1)} px after resampling;` +
    ` the labels are resampled back to the stack's own pixels`
  );
}
