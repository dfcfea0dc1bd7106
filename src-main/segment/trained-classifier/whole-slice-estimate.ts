// How wrong the classifier is on whole slices, estimated from the annotations alone.
// Painted pixels are not a fair sample of a slice: users paint easy interiors first and
// then exactly where the last result was wrong, so the error rate on held-out painted
// pixels overstates (or, with interior strokes only, understates) the error on a slice.
// What transfers is the error rate at a given confidence: for each annotated slice s,
// a forest trained without s gives confidence and right/wrong on s's painted pixels.
// The error rate per confidence bin, pooled over the held-out painted pixels (with a
// small prior towards the forest's own 1 - confidence), weighted by how many pixels of
// whole slices fall in each bin, is the estimate of MP. The pixels are binned by the
// confidence of the final forest (trained on every annotation) on a sample of slices
// when it is given, else by each fold's forest on its held-out slice. Either way the
// folds' forests learnt from fewer slices than the final one, so the estimate leans
// pessimistic: on the test stacks it lay 2-6 points above the truth with <= 1 % of 3
// slices painted (docs/pixel-classifier.md). A calibration estimate in the sense of Platt (1999) and of Zadrozny &
// Elkan, "Transforming classifier scores into accurate multiclass probability
// estimates" (2002), by histogram binning.
import { AppError, throwIfAborted } from '../../../src-shared/errors';
import { computeSliceFeatures, FeatureWorkspace, type FeatureChannel, type GreyNormalisation, type PixelFeatureSpec } from '../pixel-features';
import { predictProbabilities, trainRandomForest, type ForestOptions, type RandomForest } from '../pixel-classifier';
import type { AnnotatedSamples } from '../pixel-classifier/cross-validate';

/** Confidence max(p, 1 - p) in [0.5, 1] falls into one of these bins. */
const BINS = 10;
/** Weight of the prior (1 - confidence) in each bin, in painted pixels. */
const PRIOR = 5;

function binOf(confidence: number): number {
  return Math.min(BINS - 1, Math.max(0, Math.floor((confidence - 0.5) * 2 * BINS)));
}

export interface WholeSliceEstimate {
  /** Estimated % of the annotated slices' voxels the classifier misplaces. */
  mpPercent: number;
  /** Error rate of the held-out painted pixels (the plain cross-validation), %. */
  paintedMpPercent: number;
  /** Error rate per confidence bin as used, and the pixels of the slices per bin. */
  bins: { confidenceFrom: number; errorRate: number; painted: number; pixels: number }[];
  slices: number[];
}

export interface FinalForestPixels {
  /** The forest trained on every annotation: its confidence on these slices weighs the bins. */
  forest: RandomForest;
  slices: number[];
}

export function estimateOnWholeSlices(
  channels: readonly FeatureChannel[],
  samples: AnnotatedSamples,
  spec: PixelFeatureSpec,
  norm: GreyNormalisation,
  forest: ForestOptions = {},
  signal?: AbortSignal,
  final?: FinalForestPixels,
): WholeSliceEstimate | null {
  const slices = [...new Set(Array.from(samples.sliceIndex))].sort((a, b) => a - b);
  if (slices.length < 2) return null;
  const F = samples.nFeatures;
  const wrong = new Float64Array(BINS);
  const painted = new Float64Array(BINS);
  const confSum = new Float64Array(BINS);
  const pixels = new Float64Array(BINS);
  let paintedWrong = 0;
  const [, ny, nx] = channels[0].shape;
  const ws = new FeatureWorkspace();
  const countConfidence = (f: RandomForest, z: number) => {
    const band = Math.max(1, Math.floor((16 << 20) / (4 * nx * F)));
    for (let y0 = 0; y0 < ny; y0 += band) {
      const y1 = Math.min(ny, y0 + band);
      const sf = computeSliceFeatures(channels, z, spec, norm, { rows: { y0, y1 }, workspace: ws, signal });
      const pa = predictProbabilities(f, sf.data);
      for (let k = 0; k < pa.length; k += 2) pixels[binOf(Math.max(pa[k + 1], 1 - pa[k + 1]))]++;
    }
  };
  for (const s of slices) {
    throwIfAborted(signal);
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < samples.labels.length; i++) (samples.sliceIndex[i] === s ? test : train).push(i);
    const trainLabels = train.map((i) => samples.labels[i]);
    if (new Set(trainLabels).size < 2) continue; // the other slices hold one class only: no forest to test
    const features = new Float32Array(train.length * F);
    train.forEach((i, j) => features.set(samples.features.subarray(i * F, (i + 1) * F), j * F));
    const f = trainRandomForest({ features, nFeatures: F, labels: trainLabels }, { ...forest, nClasses: 2 }, { signal });
    const testFeatures = new Float32Array(test.length * F);
    test.forEach((i, j) => testFeatures.set(samples.features.subarray(i * F, (i + 1) * F), j * F));
    const pt = predictProbabilities(f, testFeatures);
    test.forEach((i, j) => {
      const p = pt[j * 2 + 1];
      const c = Math.max(p, 1 - p);
      const b = binOf(c);
      painted[b]++;
      confSum[b] += c;
      const isWrong = (p > 0.5 ? 1 : 0) !== samples.labels[i];
      if (isWrong) {
        wrong[b]++;
        paintedWrong++;
      }
    });
    if (!final) countConfidence(f, s);
  }
  if (final) for (const z of final.slices) countConfidence(final.forest, z);
  let nPixels = 0;
  let expected = 0;
  let nPainted = 0;
  const bins: WholeSliceEstimate['bins'] = [];
  for (let b = 0; b < BINS; b++) {
    const from = 0.5 + b / (2 * BINS);
    const prior = painted[b] > 0 ? 1 - confSum[b] / painted[b] : 1 - (from + 1 / (4 * BINS));
    const rate = (wrong[b] + PRIOR * prior) / (painted[b] + PRIOR);
    bins.push({ confidenceFrom: from, errorRate: rate, painted: painted[b], pixels: pixels[b] });
    expected += rate * pixels[b];
    nPixels += pixels[b];
    nPainted += painted[b];
  }
  if (nPixels === 0 || nPainted === 0) {
    throw new AppError('invalid_input', 'Every annotated slice holds only one class, so no slice can be held out to estimate the accuracy: paint both pore and solid on at least two slices.');
  }
  return { mpPercent: (100 * expected) / nPixels, paintedMpPercent: (100 * paintedWrong) / nPainted, bins, slices };
}
