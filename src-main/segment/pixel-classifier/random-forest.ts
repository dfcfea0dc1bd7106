// Training the random forest pixel classifier (Breiman, "Random Forests",
// 2001): bootstrap samples, mtry random features per split, Gini impurity,
// on features quantised once into at most 256 bins (see feature-bins.ts).
// Our own implementation rather than ml-random-forest 2.1.0: the forest is
// flat typed arrays, so prediction over 3e8 voxels allocates nothing per
// pixel; bench/random-forest-bench.ts holds the measured comparison.
import { AppError, throwIfAborted } from '../../../src-shared/errors';
import { progressTracker } from '../../../src-shared/progress';
import { binFeatures } from './feature-bins';
import { treeRng } from './forest-rng';
import { DEFAULT_FOREST_OPTIONS, type ForestOptions, type LongJobOptions, type RandomForest, type ResolvedForestOptions, type TrainingSamples } from './forest-types';
import { type GrownTree, growScratch, growTree } from './grow-tree';

function isCount(x: number, min: number): boolean {
  return Number.isInteger(x) && x >= min;
}

/** Checks the samples and fills in the defaults; throws an AppError that says what to change. */
export function resolveForestOptions(samples: TrainingSamples, opts: ForestOptions = {}): ResolvedForestOptions {
  const { features, nFeatures, labels } = samples;
  if (!isCount(nFeatures, 1)) throw new AppError('invalid_input', `The number of features must be a positive integer, got ${nFeatures}.`);
  const n = labels.length;
  if (n < 1) throw new AppError('invalid_input', 'There are no annotated pixels to train on: paint at least one stroke of each class.');
  if (features.length !== n * nFeatures) {
    throw new AppError('invalid_input', `The feature array holds ${features.length} values, but ${n} samples x ${nFeatures} features need ${n * nFeatures}: compute the features for exactly the annotated pixels.`);
  }
  let maxLabel = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!isCount(y, 0)) throw new AppError('invalid_input', `Sample ${i} has the class ${y}; classes must be integers 0, 1, ...`);
    if (y > maxLabel) maxLabel = y;
  }
  const nClasses = opts.nClasses ?? Math.max(2, maxLabel + 1);
  if (!isCount(nClasses, 2) || nClasses > 255 || maxLabel >= nClasses) {
    throw new AppError('invalid_input', `The classifier needs 2..255 classes covering every label (largest label ${maxLabel}), got nClasses = ${nClasses}.`);
  }
  const r: ResolvedForestOptions = {
    nTrees: opts.nTrees ?? DEFAULT_FOREST_OPTIONS.nTrees,
    maxDepth: opts.maxDepth ?? DEFAULT_FOREST_OPTIONS.maxDepth,
    minSamplesLeaf: opts.minSamplesLeaf ?? DEFAULT_FOREST_OPTIONS.minSamplesLeaf,
    mtry: opts.mtry ?? Math.max(1, Math.floor(Math.sqrt(nFeatures))),
    bootstrap: opts.bootstrap ?? DEFAULT_FOREST_OPTIONS.bootstrap,
    classWeight: opts.classWeight ?? DEFAULT_FOREST_OPTIONS.classWeight,
    nClasses,
    maxBins: opts.maxBins ?? DEFAULT_FOREST_OPTIONS.maxBins,
    seed: opts.seed ?? DEFAULT_FOREST_OPTIONS.seed,
  };
  if (!isCount(r.nTrees, 1) || r.nTrees > 10000) throw new AppError('invalid_input', `The number of trees must be an integer 1..10000, got ${r.nTrees}.`);
  if (!isCount(r.maxDepth, 1) || r.maxDepth > 64) throw new AppError('invalid_input', `The maximum tree depth must be an integer 1..64, got ${r.maxDepth}.`);
  if (!isCount(r.minSamplesLeaf, 1)) throw new AppError('invalid_input', `The minimum samples per leaf must be a positive integer, got ${r.minSamplesLeaf}.`);
  if (!isCount(r.mtry, 1) || r.mtry > nFeatures) throw new AppError('invalid_input', `Features tried per split (mtry) must be an integer 1..${nFeatures}, got ${r.mtry}.`);
  if (!isCount(r.maxBins, 2) || r.maxBins > 256) throw new AppError('invalid_input', `The number of bins per feature must be an integer 2..256, got ${r.maxBins}.`);
  if (!Number.isInteger(r.seed)) throw new AppError('invalid_input', `The seed must be an integer, got ${r.seed}.`);
  const cw = r.classWeight;
  if (cw !== 'none' && cw !== 'balanced') {
    if (!Array.isArray(cw) || cw.length !== nClasses || cw.some((w) => !(Number.isFinite(w) && w >= 0))) {
      throw new AppError('invalid_input', `Class weights must be 'none', 'balanced' or ${nClasses} non-negative numbers (one per class), got ${JSON.stringify(cw)}.`);
    }
  }
  return r;
}

/** Per-class weight: 1, scikit-learn's 'balanced' n / (classesPresent * n_k), or the given list. */
export function classWeights(labels: ArrayLike<number>, nClasses: number, classWeight: ResolvedForestOptions['classWeight']): Float64Array {
  const w = new Float64Array(nClasses).fill(1);
  if (classWeight === 'balanced') {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
    const present = counts.filter((c) => c > 0).length;
    for (let k = 0; k < nClasses; k++) w[k] = counts[k] > 0 ? labels.length / (present * counts[k]) : 0;
  } else if (classWeight !== 'none') {
    for (let k = 0; k < nClasses; k++) w[k] = classWeight[k];
  }
  return w;
}

export interface TrainJobOptions extends LongJobOptions {
  /** Grow only trees first .. first + count - 1 of the forest (for training on several workers; join with concatForests). */
  trees?: { first: number; count: number };
}

/** Trains a forest on the annotated pixels. Same samples + options (seed included) = the same forest bit for bit. */
export function trainRandomForest(samples: TrainingSamples, options: ForestOptions = {}, job: TrainJobOptions = {}): RandomForest {
  const params = resolveForestOptions(samples, options);
  const n = samples.labels.length;
  const first = job.trees?.first ?? 0;
  const count = job.trees?.count ?? params.nTrees;
  if (!isCount(first, 0) || !isCount(count, 1) || first + count > params.nTrees) {
    throw new AppError('invalid_input', `Trees ${first}..${first + count - 1} are not within the forest's ${params.nTrees} trees.`);
  }
  const classWeight = classWeights(samples.labels, params.nClasses, params.classWeight);
  const labels = Uint8Array.from(samples.labels);
  let anyWeight = false;
  for (let i = 0; i < n && !anyWeight; i++) anyWeight = classWeight[labels[i]] > 0;
  if (!anyWeight) throw new AppError('invalid_input', 'Every annotated class has weight 0: give at least one painted class a positive weight.');

  throwIfAborted(job.signal);
  const progress = progressTracker(job.onProgress);
  const bins = binFeatures(samples.features, n, samples.nFeatures, params.maxBins);
  const ctx = {
    n,
    nFeatures: samples.nFeatures,
    nClasses: params.nClasses,
    codes: bins.codes,
    rowBytes: bins.rowBytes,
    edges: bins.edges,
    labels,
    classWeight,
    maxDepth: params.maxDepth,
    minSamplesLeaf: params.minSamplesLeaf,
    mtry: params.mtry,
    bootstrap: params.bootstrap,
  };
  const scratch = growScratch(ctx);
  const trees: GrownTree[] = [];
  for (let t = first; t < first + count; t++) {
    throwIfAborted(job.signal);
    trees.push(growTree(ctx, treeRng(params.seed, t), scratch));
    progress((t - first + 1) / count, `grew tree ${t - first + 1} of ${count}`);
  }
  return assembleForest(trees, params, samples.nFeatures);
}

/** Concatenates trees into one forest's flat arrays. */
export function assembleForest(trees: readonly GrownTree[], params: ResolvedForestOptions, nFeatures: number): RandomForest {
  let nodes = 0;
  let leaves = 0;
  for (const t of trees) {
    nodes += t.feature.length;
    leaves += t.leafValues.length;
  }
  const forest: RandomForest = {
    nFeatures,
    nClasses: params.nClasses,
    nTrees: trees.length,
    treeRoots: new Int32Array(trees.length),
    nodeFeature: new Int32Array(nodes),
    nodeThreshold: new Float32Array(nodes),
    nodeChild: new Int32Array(nodes),
    leafValues: new Float32Array(leaves),
    params: { ...params, nTrees: trees.length },
  };
  let nodeBase = 0;
  let leafBase = 0;
  trees.forEach((t, i) => {
    forest.treeRoots[i] = nodeBase;
    forest.nodeFeature.set(t.feature, nodeBase);
    forest.nodeThreshold.set(t.threshold, nodeBase);
    for (let j = 0; j < t.child.length; j++) forest.nodeChild[nodeBase + j] = t.child[j] + (t.feature[j] < 0 ? leafBase : nodeBase);
    forest.leafValues.set(t.leafValues, leafBase);
    nodeBase += t.feature.length;
    leafBase += t.leafValues.length;
  });
  return forest;
}

/** Joins forests trained on parts of the trees (same samples and options, consecutive tree ranges) into one. */
export function concatForests(parts: readonly RandomForest[]): RandomForest {
  if (parts.length === 0) throw new AppError('invalid_input', 'There are no forests to join.');
  const { nFeatures, nClasses } = parts[0];
  if (parts.some((p) => p.nFeatures !== nFeatures || p.nClasses !== nClasses)) {
    throw new AppError('invalid_input', 'The forests to join differ in features or classes: train them on the same samples.');
  }
  const trees: GrownTree[] = [];
  for (const p of parts) {
    for (let t = 0; t < p.nTrees; t++) {
      const start = p.treeRoots[t];
      const end = t + 1 < p.nTrees ? p.treeRoots[t + 1] : p.nodeFeature.length;
      const feature = p.nodeFeature.slice(start, end);
      const child = p.nodeChild.slice(start, end);
      let leafMin = Infinity;
      let leafMax = -1;
      for (let j = 0; j < feature.length; j++) {
        if (feature[j] < 0) {
          leafMin = Math.min(leafMin, child[j]);
          leafMax = Math.max(leafMax, child[j]);
        }
      }
      for (let j = 0; j < feature.length; j++) child[j] -= feature[j] < 0 ? leafMin : start;
      trees.push({ feature, threshold: p.nodeThreshold.slice(start, end), child, leafValues: p.leafValues.slice(leafMin, leafMax + nClasses) });
    }
  }
  const nTrees = trees.length;
  return assembleForest(trees, { ...parts[0].params, nTrees }, nFeatures);
}
