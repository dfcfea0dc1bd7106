// Grey normalisation: one robust intensity range per channel over the whole
// volume, so that a feature value means the same on every slice and, as far
// as contrast allows, on every stack. Computed once when the classifier is
// trained and stored with it; prediction reuses the stored range.
//
// low / high = the lowPercentile / highPercentile (default 0.5 / 99.5) of all
// voxels, as numpy.percentile's default ('linear') method defines them: the
// value at 0-based rank h = (N - 1) q / 100 of the sorted voxels, interpolated
// between ranks floor(h) and floor(h) + 1. Exact for uint8 and uint16 (one
// histogram bin per grey value); for float32 the ranks are located in a
// 65536-bin histogram over [min, max] and interpolated within the bin, so the
// error is below one bin width, (max - min) / 65536. Non-finite float values
// are ignored. A voxel v becomes (v - low) / (high - low); values outside the
// range are not clipped (the forest can still tell them apart).
import { AppError, throwIfAborted } from '../../../src-shared/errors';
import type { SliceArray } from '../../../src-shared/dtype';
import { progressTracker, type ProgressCallback } from '../../../src-shared/progress';
import { checkChannels, readSlice, type FeatureChannel } from './channel';

export interface ChannelGreyRange {
  /** Grey value mapped to 0. */
  low: number;
  /** Grey value mapped to 1. */
  high: number;
}

export interface GreyNormalisation {
  version: 1;
  lowPercentile: number;
  highPercentile: number;
  channels: ChannelGreyRange[];
}

export interface GreyNormalisationOptions {
  lowPercentile?: number;
  highPercentile?: number;
  /** Use every sliceStep-th slice (1 = all), to read less from storage on huge stacks. */
  sliceStep?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

const FLOAT_BINS = 65536;

/** A histogram and where its bins lie: bin b spans [origin + b * width, origin + (b + 1) * width). */
interface Hist {
  counts: Float64Array;
  origin: number;
  width: number;
  /** True when every bin holds exactly one integer value (origin + b). */
  exact: boolean;
  total: number;
}

function integerHistogram(ch: FeatureChannel, c: number, zs: number[], tick: () => void, signal?: AbortSignal): Hist {
  const counts = new Float64Array(ch.dtype === 'uint8' ? 256 : 65536);
  let total = 0;
  for (const k of zs) {
    throwIfAborted(signal);
    const s = readSlice(ch, k, c);
    for (let i = 0; i < s.length; i++) counts[s[i]]++;
    total += s.length;
    tick();
  }
  return { counts, origin: 0, width: 1, exact: true, total };
}

function floatHistogram(ch: FeatureChannel, c: number, zs: number[], tick: () => void, signal?: AbortSignal): Hist {
  let min = Infinity;
  let max = -Infinity;
  for (const k of zs) {
    throwIfAborted(signal);
    const s = readSlice(ch, k, c);
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    tick();
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new AppError('invalid_input', `Channel ${c} holds no finite grey values: check the stack (it may be empty or all NaN) and reimport it.`);
  }
  const width = max > min ? (max - min) / FLOAT_BINS : 1;
  const counts = new Float64Array(FLOAT_BINS);
  let total = 0;
  for (const k of zs) {
    throwIfAborted(signal);
    const s = readSlice(ch, k, c);
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (!(v >= min && v <= max)) continue;
      counts[Math.min(FLOAT_BINS - 1, Math.floor((v - min) / width))]++;
      total++;
    }
    tick();
  }
  return { counts, origin: min, width, exact: false, total };
}

/** Value at 0-based rank r of the sorted voxels (see file comment for float histograms). */
function valueAtRank(h: Hist, r: number): number {
  let cum = 0;
  for (let b = 0; b < h.counts.length; b++) {
    const n = h.counts[b];
    if (cum + n > r) return h.exact ? h.origin + b : h.origin + h.width * (b + (r - cum + 0.5) / n);
    cum += n;
  }
  return h.origin + h.width * (h.counts.length - 1);
}

/** numpy.percentile (method 'linear') from a histogram. */
function percentile(h: Hist, q: number): number {
  const rank = ((h.total - 1) * q) / 100;
  const lo = Math.floor(rank);
  const vLo = valueAtRank(h, lo);
  if (rank === lo) return vLo;
  return vLo + (rank - lo) * (valueAtRank(h, lo + 1) - vLo);
}

/** Robust grey range of every channel over the whole volume (see file comment). */
export function computeGreyNormalisation(channels: readonly FeatureChannel[], opts: GreyNormalisationOptions = {}): GreyNormalisation {
  const lowPercentile = opts.lowPercentile ?? 0.5;
  const highPercentile = opts.highPercentile ?? 99.5;
  if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100)) {
    throw new AppError('invalid_input', `Grey normalisation needs 0 <= low percentile < high percentile <= 100, got ${lowPercentile} and ${highPercentile}: use e.g. 0.5 and 99.5.`);
  }
  const step = opts.sliceStep ?? 1;
  if (!Number.isInteger(step) || step < 1) throw new AppError('invalid_input', `sliceStep must be a positive integer, got ${step}.`);
  const [nz] = checkChannels(channels);
  const zs: number[] = [];
  for (let k = 0; k < nz; k += step) zs.push(k);
  const passes = channels.reduce((n, ch) => n + (ch.dtype === 'float32' ? 2 : 1), 0) * zs.length;
  const report = progressTracker(opts.onProgress);
  let done = 0;
  const tick = () => report(++done / passes, `grey range: ${done} of ${passes} slice reads`);
  const ranges = channels.map((ch, c): ChannelGreyRange => {
    const h = ch.dtype === 'float32' ? floatHistogram(ch, c, zs, tick, opts.signal) : integerHistogram(ch, c, zs, tick, opts.signal);
    return { low: percentile(h, lowPercentile), high: percentile(h, highPercentile) };
  });
  return { version: 1, lowPercentile, highPercentile, channels: ranges };
}

/** Scale that maps the range to [0, 1]; 1 when the range is empty (a flat stack), so values are only shifted. */
export function rangeScale(r: ChannelGreyRange): number {
  return r.high > r.low ? 1 / (r.high - r.low) : 1;
}

/** out[i] = (src[i] - low) / (high - low). */
export function normaliseSlice(src: SliceArray, range: ChannelGreyRange, out: Float32Array = new Float32Array(src.length)): Float32Array {
  const low = range.low;
  const scale = rangeScale(range);
  for (let i = 0; i < src.length; i++) out[i] = (src[i] - low) * scale;
  return out;
}

/** Checks a stored normalisation against the channels it is applied to. */
export function checkNormalisation(norm: GreyNormalisation, channelCount: number): void {
  if (!norm || norm.version !== 1 || !Array.isArray(norm.channels)) {
    throw new AppError('invalid_input', 'The stored grey normalisation is missing or of an unknown version: retrain the pixel classifier.');
  }
  if (norm.channels.length !== channelCount) {
    throw new AppError('invalid_input', `The grey normalisation covers ${norm.channels.length} channel(s) but ${channelCount} were given: use the stacks the classifier was trained on.`);
  }
  for (const r of norm.channels) {
    if (!Number.isFinite(r.low) || !Number.isFinite(r.high)) throw new AppError('invalid_input', 'The stored grey range is not a pair of numbers: retrain the pixel classifier.');
  }
}
