// How well will the classifier do on slices nobody annotated? Pixels of one
// slice are strongly correlated (same contrast, same ligaments, features
// computed from overlapping neighbourhoods), so holding out random pixels
// would measure memory, not generalisation. Folds therefore hold out whole
// annotated slices:
// - up to maxFolds annotated slices: each slice held out once;
// - more: maxFolds groups of neighbouring slices (sorted by z), each held out once;
// - one annotated slice: the slice is cut into blockFolds strips along its
//   longer annotated extent (strip edges at quantiles of the annotated pixels,
//   so the strips hold about the same number of them); each strip is held out
//   and training pixels closer than blockGapPx to it are left out, because
//   their features saw the held-out pixels. Still the same slice: the
//   estimate is optimistic and marked weaker.
// Each fold trains a fresh forest on the other pixels and predicts the
// held-out annotated pixels; metrics per fold and pooled over all folds
// (confusion matrices summed).
import { AppError, throwIfAborted } from '../../../src-shared/errors';
import { progressTracker } from '../../../src-shared/progress';
import { type ClassMetrics, type ConfusionMatrix, addToConfusion, classMetrics, emptyConfusion, sumConfusion } from './class-metrics';
import { predictLabels } from './forest-predict';
import type { ForestOptions, LongJobOptions, TrainingSamples } from './forest-types';
import { resolveForestOptions, trainRandomForest } from './random-forest';

export interface AnnotatedSamples extends TrainingSamples {
  /** The slice (z index) every sample was painted on. */
  sliceIndex: ArrayLike<number>;
  /** Row (y) and column (x) of every sample in its slice: needed only when a single slice is annotated. */
  row?: ArrayLike<number>;
  col?: ArrayLike<number>;
}

export interface CrossValidationOptions extends LongJobOptions {
  /** Forest trained in every fold (default: the classifier's defaults). */
  forest?: ForestOptions;
  /** Most folds over slices (default 5). */
  maxFolds?: number;
  /** Strips a single annotated slice is cut into (default 4). */
  blockFolds?: number;
  /** Training pixels within this many pixels of a held-out strip are left out (default 16). */
  blockGapPx?: number;
  /** Class whose misses MGP counts (default 1, solid). */
  positiveClass?: number;
}

export type CrossValidationScheme = 'leave-one-slice-out' | 'slice-groups' | 'spatial-blocks' | 'none';

export interface CrossValidationFold {
  heldOutSlices: number[];
  /** For spatial-block folds: the held-out strip, rows or columns from..to-1. */
  block?: { axis: 'row' | 'col'; from: number; to: number };
  nTrain: number;
  nTest: number;
  /** Training pixels left out for lying within blockGapPx of the held-out strip. */
  nGap: number;
  /** Indices (into the samples) of the pixels trained on and of those held out and predicted. */
  trained: Int32Array;
  heldOut: Int32Array;
  confusion: ConfusionMatrix;
  metrics: ClassMetrics;
}

export interface CrossValidationResult {
  scheme: CrossValidationScheme;
  /** True when the estimate could not hold out a whole slice (spatial blocks) or could not be made. */
  weaker: boolean;
  /** What was held out, or why no estimate could be made, in words for the user. */
  note: string;
  folds: CrossValidationFold[];
  pooled: ClassMetrics | null;
  pooledConfusion: ConfusionMatrix | null;
  /** The class predicted for every sample in the fold that held it out; 255 where it was never held out. */
  outOfFold: Uint8Array;
}

export const NOT_HELD_OUT = 255;

interface FoldPlan {
  heldOutSlices: number[];
  block?: CrossValidationFold['block'];
  test: number[];
  train: number[];
  nGap: number;
}

function slicePlans(slices: ArrayLike<number>, unique: number[], nGroups: number): FoldPlan[] {
  const groupOf = new Map<number, number>();
  unique.forEach((z, i) => groupOf.set(z, Math.floor((i * nGroups) / unique.length)));
  const plans: FoldPlan[] = Array.from({ length: nGroups }, (_, g) => ({ heldOutSlices: unique.filter((z) => groupOf.get(z) === g), test: [], train: [], nGap: 0 }));
  for (let i = 0; i < slices.length; i++) {
    const g = groupOf.get(slices[i]) as number;
    plans.forEach((p, j) => (j === g ? p.test : p.train).push(i));
  }
  return plans;
}

function blockPlans(samples: AnnotatedSamples, slice: number, nBlocks: number, gap: number): FoldPlan[] {
  const row = samples.row as ArrayLike<number>;
  const col = samples.col as ArrayLike<number>;
  const n = row.length;
  let r0 = Infinity;
  let r1 = -Infinity;
  let c0 = Infinity;
  let c1 = -Infinity;
  for (let i = 0; i < n; i++) {
    r0 = Math.min(r0, row[i]);
    r1 = Math.max(r1, row[i]);
    c0 = Math.min(c0, col[i]);
    c1 = Math.max(c1, col[i]);
  }
  const axis: 'row' | 'col' = r1 - r0 >= c1 - c0 ? 'row' : 'col';
  const coord = axis === 'row' ? row : col;
  const sorted = Float64Array.from(coord).sort();
  const edges = [-Infinity];
  for (let j = 1; j < nBlocks; j++) edges.push(sorted[Math.floor((j * n) / nBlocks)]);
  edges.push(Infinity);
  const plans: FoldPlan[] = [];
  for (let j = 0; j < nBlocks; j++) {
    const from = edges[j];
    const to = edges[j + 1];
    if (!(from < to)) continue;
    const plan: FoldPlan = { heldOutSlices: [slice], block: { axis, from: Math.max(from, sorted[0]), to: Math.min(to, sorted[n - 1] + 1) }, test: [], train: [], nGap: 0 };
    for (let i = 0; i < n; i++) {
      const v = coord[i];
      if (v >= from && v < to) plan.test.push(i);
      else if (v > from - gap && v < to + gap - 1) plan.nGap++;
      else plan.train.push(i);
    }
    plans.push(plan);
  }
  return plans;
}

function subset(samples: TrainingSamples, which: number[]): TrainingSamples {
  const F = samples.nFeatures;
  const features = new Float32Array(which.length * F);
  const labels = new Uint8Array(which.length);
  which.forEach((i, j) => {
    features.set(samples.features.subarray(i * F, (i + 1) * F), j * F);
    labels[j] = samples.labels[i];
  });
  return { features, nFeatures: F, labels };
}

export function crossValidate(samples: AnnotatedSamples, opts: CrossValidationOptions = {}): CrossValidationResult {
  const base = resolveForestOptions(samples, opts.forest);
  const n = samples.labels.length;
  const maxFolds = opts.maxFolds ?? 5;
  const blockFolds = opts.blockFolds ?? 4;
  const gap = opts.blockGapPx ?? 16;
  const positiveClass = opts.positiveClass ?? 1;
  if (!Number.isInteger(maxFolds) || maxFolds < 2) throw new AppError('invalid_input', `Cross-validation needs at least 2 folds, got maxFolds = ${maxFolds}.`);
  if (!Number.isInteger(blockFolds) || blockFolds < 2) throw new AppError('invalid_input', `A single slice must be cut into at least 2 strips, got blockFolds = ${blockFolds}.`);
  if (!(gap >= 0)) throw new AppError('invalid_input', `The gap around a held-out strip must be 0 or more pixels, got ${gap}.`);
  if (samples.sliceIndex.length !== n) throw new AppError('invalid_input', `${samples.sliceIndex.length} slice indices for ${n} samples: give the slice of every annotated pixel.`);
  const hasPositions = samples.row !== undefined && samples.col !== undefined && samples.row.length === n && samples.col.length === n;

  const unique = [...new Set(Array.from(samples.sliceIndex))].sort((a, b) => a - b);
  let scheme: CrossValidationScheme;
  let plans: FoldPlan[] = [];
  let note: string;
  if (unique.length >= 2) {
    scheme = unique.length <= maxFolds ? 'leave-one-slice-out' : 'slice-groups';
    plans = slicePlans(samples.sliceIndex, unique, Math.min(maxFolds, unique.length));
    note =
      scheme === 'leave-one-slice-out'
        ? `Each of the ${unique.length} annotated slices was held out in turn and predicted by a forest trained on the others.`
        : `The ${unique.length} annotated slices were split into ${maxFolds} groups of neighbouring slices; each group was held out in turn and predicted by a forest trained on the others.`;
  } else if (hasPositions) {
    scheme = 'spatial-blocks';
    plans = blockPlans(samples, unique[0], blockFolds, gap).filter((p) => p.test.length > 0 && p.train.length > 0);
    note = `Only one slice is annotated, so ${plans.length} strips of it were held out in turn (training pixels within ${gap} px of the strip left out). The held-out pixels share the slice's contrast and structure with the training pixels, so this estimate is optimistic: annotate a second slice for an estimate on unseen slices.`;
  } else {
    scheme = 'none';
    note = 'Only one slice is annotated and the pixel positions were not given, so nothing can be held out: annotate a second slice.';
  }
  if (scheme === 'spatial-blocks' && plans.length === 0) {
    scheme = 'none';
    note = 'Only one slice is annotated and its strokes are too close together to hold out a strip with training pixels beyond the gap: annotate a second slice, or spread the strokes over the slice.';
  }

  const outOfFold = new Uint8Array(n).fill(NOT_HELD_OUT);
  const folds: CrossValidationFold[] = [];
  const progress = progressTracker(opts.onProgress);
  plans.forEach((plan, f) => {
    throwIfAborted(opts.signal);
    const train = subset(samples, plan.train);
    const test = subset(samples, plan.test);
    // Same classes in every fold even when the training part lacks one.
    const forest = trainRandomForest(train, { ...opts.forest, nClasses: base.nClasses }, { signal: opts.signal });
    const predicted = predictLabels(forest, test.features);
    plan.test.forEach((i, j) => (outOfFold[i] = predicted[j]));
    const confusion = addToConfusion(emptyConfusion(base.nClasses), test.labels, predicted);
    folds.push({
      heldOutSlices: plan.heldOutSlices,
      block: plan.block,
      nTrain: plan.train.length,
      nTest: plan.test.length,
      nGap: plan.nGap,
      trained: Int32Array.from(plan.train),
      heldOut: Int32Array.from(plan.test),
      confusion,
      metrics: classMetrics(confusion, positiveClass),
    });
    progress((f + 1) / plans.length, `cross-validation fold ${f + 1} of ${plans.length}`);
  });
  const pooledConfusion = folds.length > 0 ? sumConfusion(base.nClasses, folds.map((f) => f.confusion)) : null;
  return {
    scheme,
    weaker: scheme === 'spatial-blocks' || scheme === 'none',
    note,
    folds,
    pooled: pooledConfusion ? classMetrics(pooledConfusion, positiveClass) : null,
    pooledConfusion,
    outOfFold,
  };
}
