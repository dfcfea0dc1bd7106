// The pixel classifier a user trains in the app (like ilastik's or Fiji's Trainable
// Weka): per-pixel features of the grey channels (src-main/segment/pixel-features)
// at the painted pixels, a random forest (src-main/segment/pixel-classifier), then
// every slice predicted in bands of rows. Pure compute: channels come in as
// FeatureChannels (slices on demand), annotations as plain arrays.
import { AppError, throwIfAborted } from '../../../src-shared/errors';
import type { ProgressCallback } from '../../../src-shared/progress';
import {
  computeFeaturesAtPixels,
  computeGreyNormalisation,
  computeSliceFeatures,
  defaultFeatureSpec,
  FeatureWorkspace,
  type FeatureChannel,
  type GreyNormalisation,
  type PixelFeatureSpec,
} from '../pixel-features';
import {
  crossValidate,
  deserialiseForest,
  predictProbabilities,
  serialiseForest,
  trainRandomForest,
  type CrossValidationResult,
  type ForestOptions,
  type RandomForest,
  type SerialisedForest,
} from '../pixel-classifier';
import type { AnnotatedSamples } from '../pixel-classifier/cross-validate';

/** Annotation values (annotation_class.value) and the forest's classes: pore 1 -> 0, solid 2 -> 1. */
export const PORE_VALUE = 1;
export const SOLID_VALUE = 2;

/** Painted pixels: slice, pixel (y * nx + x) and annotation value of each. */
export interface PaintedPixels {
  z: ArrayLike<number>;
  pixel: ArrayLike<number>;
  value: ArrayLike<number>;
}

export interface TrainedPixelClassifier {
  format: 'fibrecon-pixel-classifier';
  version: 1;
  spec: PixelFeatureSpec;
  normalisation: GreyNormalisation;
  forest: RandomForest;
  /** What it learnt from: painted pixels per class, annotated slices. */
  trainedOn: { pore: number; solid: number; slices: number[] };
}

export interface StoredPixelClassifier extends Omit<TrainedPixelClassifier, 'forest'> {
  forest: SerialisedForest;
}

export interface ClassifierJob {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Fewest painted pixels per class before training is allowed. */
export const MIN_PIXELS_PER_CLASS = 20;

/** Checks the painted pixels can train a pore/solid classifier; returns the counts. */
export function checkPainted(p: PaintedPixels): { pore: number; solid: number; slices: number[] } {
  let pore = 0;
  let solid = 0;
  const slices = new Set<number>();
  for (let i = 0; i < p.value.length; i++) {
    const v = p.value[i];
    if (v === PORE_VALUE) pore++;
    else if (v === SOLID_VALUE) solid++;
    else throw new AppError('invalid_input', `Annotation value ${v} is not pore (1) or solid (2): the classifier learns these two classes; erase or re-import the other values.`);
    slices.add(p.z[i]);
  }
  const missing = [pore < MIN_PIXELS_PER_CLASS ? `pore (${pore} px)` : '', solid < MIN_PIXELS_PER_CLASS ? `solid (${solid} px)` : ''].filter(Boolean);
  if (missing.length) {
    throw new AppError(
      'invalid_input',
      `The classifier needs at least ${MIN_PIXELS_PER_CLASS} painted pixels of each class; ${missing.join(' and ')} ${missing.length > 1 ? 'have' : 'has'} too few: paint a few strokes of ${missing.length > 1 ? 'both classes' : missing[0].split(' ')[0]} (inside pores and inside solid ligaments) first.`,
    );
  }
  return { pore, solid, slices: [...slices].sort((a, b) => a - b) };
}

/** Features of every painted pixel, slice by slice, as cross-validation and training take them. */
export function paintedSamples(channels: readonly FeatureChannel[], painted: PaintedPixels, spec: PixelFeatureSpec, norm: GreyNormalisation, job: ClassifierJob = {}): AnnotatedSamples {
  const n = painted.value.length;
  const nx = channels[0].shape[2];
  const bySlice = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = bySlice.get(painted.z[i]);
    if (list) list.push(i);
    else bySlice.set(painted.z[i], [i]);
  }
  const ws = new FeatureWorkspace();
  let nFeatures = 0;
  let features = new Float32Array(0);
  const labels = new Uint8Array(n);
  const sliceIndex = new Int32Array(n);
  const row = new Int32Array(n);
  const col = new Int32Array(n);
  let done = 0;
  for (const [z, list] of [...bySlice].sort((a, b) => a[0] - b[0])) {
    throwIfAborted(job.signal);
    const pixels = list.map((i) => painted.pixel[i]);
    const rows = computeFeaturesAtPixels(channels, z, pixels, spec, norm, { workspace: ws, signal: job.signal });
    if (features.length === 0) {
      nFeatures = rows.nFeatures;
      features = new Float32Array(n * nFeatures);
    }
    list.forEach((i, k) => {
      features.set(rows.data.subarray(k * nFeatures, (k + 1) * nFeatures), i * nFeatures);
      labels[i] = painted.value[i] === SOLID_VALUE ? 1 : 0;
      sliceIndex[i] = z;
      row[i] = Math.floor(painted.pixel[i] / nx);
      col[i] = painted.pixel[i] % nx;
    });
    done += list.length;
    job.onProgress?.({ fraction: done / n, message: `Features of the painted pixels: slice ${z}` });
  }
  return { features, nFeatures, labels, sliceIndex, row, col };
}

export interface TrainOptions extends ClassifierJob {
  spec?: PixelFeatureSpec;
  forest?: ForestOptions;
  /** Normalisation from an earlier run (live preview keeps one); default computed from the channels. */
  normalisation?: GreyNormalisation;
  /** Also estimate the accuracy by holding out whole annotated slices (default true). */
  crossValidate?: boolean;
}

export interface TrainResult {
  classifier: TrainedPixelClassifier;
  /** The estimate from the annotations alone (whole slices held out); null when not asked for. */
  estimate: CrossValidationResult | null;
}

/** Trains the classifier on the painted pixels (deterministic: same inputs, same forest). */
export function trainPixelClassifier(channels: readonly FeatureChannel[], painted: PaintedPixels, opts: TrainOptions = {}): TrainResult {
  const counts = checkPainted(painted);
  const spec = opts.spec ?? defaultFeatureSpec(channels.length);
  const normalisation = opts.normalisation ?? computeGreyNormalisation(channels, { sliceStep: Math.max(1, Math.floor(channels[0].shape[0] / 32)), signal: opts.signal });
  const samples = paintedSamples(channels, painted, spec, normalisation, opts);
  throwIfAborted(opts.signal);
  const estimate = opts.crossValidate === false ? null : crossValidate(samples, { forest: opts.forest, signal: opts.signal });
  const forest = trainRandomForest(samples, opts.forest, { signal: opts.signal });
  return { classifier: { format: 'fibrecon-pixel-classifier', version: 1, spec, normalisation, forest, trainedOn: counts }, estimate };
}

export function storeClassifier(c: TrainedPixelClassifier): StoredPixelClassifier {
  return { ...c, forest: serialiseForest(c.forest) };
}

export function loadClassifier(s: StoredPixelClassifier): TrainedPixelClassifier {
  if (s?.format !== 'fibrecon-pixel-classifier' || s.version !== 1) {
    throw new AppError('invalid_input', 'The stored pixel classifier is not of a format this fibrecon knows: train it again from the annotations.');
  }
  return { ...s, forest: deserialiseForest(s.forest) };
}

/** One predicted slice: labels (1 = solid, 0 = pore) and the probability of solid as a byte (0..255). */
export interface PredictedSlice {
  labels: Uint8Array;
  solidByte: Uint8Array;
}

/** Rows per band: bounds the feature buffer (rows x nx x features floats). */
function bandRows(nx: number, nFeatures: number): number {
  return Math.max(1, Math.floor((32 << 20) / (4 * nx * nFeatures)));
}

/** The band buffers, kept with the workspace so that a stack's slices reuse them. */
const buffersOf = new WeakMap<FeatureWorkspace, { buffer: Float32Array; probs: Float32Array }>();

function bandBuffers(ws: FeatureWorkspace, features: number, probabilities: number): { buffer: Float32Array; probs: Float32Array } {
  const known = buffersOf.get(ws);
  if (known && known.buffer.length >= features && known.probs.length >= probabilities) return known;
  const fresh = { buffer: new Float32Array(features), probs: new Float32Array(probabilities) };
  buffersOf.set(ws, fresh);
  return fresh;
}

/**
 * Predicts slice z in bands of rows (memory: one band of features, ~32 MB). The probability of
 * solid is the mean over trees; solid where it is > 0.5.
 */
export function predictSlice(c: TrainedPixelClassifier, channels: readonly FeatureChannel[], z: number, ws: FeatureWorkspace, signal?: AbortSignal): PredictedSlice {
  const [, ny, nx] = channels[0].shape;
  const labels = new Uint8Array(ny * nx);
  const solidByte = new Uint8Array(ny * nx);
  const nF = c.forest.nFeatures;
  const step = Math.min(ny, bandRows(nx, nF));
  const { buffer, probs } = bandBuffers(ws, step * nx * nF, step * nx * c.forest.nClasses);
  for (let y0 = 0; y0 < ny; y0 += step) {
    throwIfAborted(signal);
    const y1 = Math.min(ny, y0 + step);
    const f = computeSliceFeatures(channels, z, c.spec, c.normalisation, { rows: { y0, y1 }, workspace: ws, out: buffer, signal });
    const n = (y1 - y0) * nx;
    predictProbabilities(c.forest, f.data, { start: 0, end: n, out: probs });
    const K = c.forest.nClasses;
    for (let i = 0; i < n; i++) {
      const p = probs[i * K + 1];
      labels[y0 * nx + i] = p > 0.5 ? 1 : 0;
      solidByte[y0 * nx + i] = Math.round(p * 255);
    }
  }
  return { labels, solidByte };
}

/** How unsure a probability byte is: 0 = certain, 255 = a coin flip (1 - |2p - 1|). */
export function uncertaintyByte(solidByte: number): number {
  return 255 - Math.abs(2 * solidByte - 255);
}
