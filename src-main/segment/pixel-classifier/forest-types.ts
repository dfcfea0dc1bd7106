// The random forest pixel classifier's shapes: the trained forest as flat
// typed arrays (all trees concatenated), the training samples and the options.
import type { ProgressCallback } from '../../../src-shared/progress';

/**
 * A trained forest. Every tree is a block of nodes in the node arrays, its
 * root at treeRoots[t]. Node i is a leaf when nodeFeature[i] < 0; then
 * nodeChild[i] is the offset of its class probabilities in leafValues
 * (nClasses floats that sum to 1). Otherwise a pixel goes to the left child
 * nodeChild[i] when !(x[nodeFeature[i]] > nodeThreshold[i]) (so NaN goes left)
 * and to the right child nodeChild[i] + 1 when x > threshold.
 */
export interface RandomForest {
  nFeatures: number;
  nClasses: number;
  nTrees: number;
  treeRoots: Int32Array;
  nodeFeature: Int32Array;
  nodeThreshold: Float32Array;
  nodeChild: Int32Array;
  leafValues: Float32Array;
  /** The options the forest was trained with (after defaults), kept for the record. */
  params: ResolvedForestOptions;
}

/** Annotated pixels: features pixel-major (sample i's feature f at features[i * nFeatures + f]) and their class. */
export interface TrainingSamples {
  features: Float32Array;
  nFeatures: number;
  /** Class of every sample, an integer 0..nClasses-1 (0 = pore, 1 = solid). */
  labels: ArrayLike<number>;
}

export type ClassWeight = 'none' | 'balanced' | readonly number[];

export interface ForestOptions {
  /** Trees in the forest (default DEFAULT_FOREST_OPTIONS.nTrees). */
  nTrees?: number;
  /** Deepest level a leaf may sit at; the root is depth 0 (default DEFAULT_FOREST_OPTIONS.maxDepth). */
  maxDepth?: number;
  /** Fewest samples (bootstrap draws counted once) in a leaf (default 1, as scikit-learn). */
  minSamplesLeaf?: number;
  /** Features tried per split; default floor(sqrt(nFeatures)), as scikit-learn's 'sqrt'. */
  mtry?: number;
  /** Each tree sees a bootstrap sample of n draws with replacement (default true). */
  bootstrap?: boolean;
  /** 'balanced' weighs class k by n / (classesPresent * n_k), as scikit-learn (default 'balanced'); or one weight per class. */
  classWeight?: ClassWeight;
  /** Number of classes; default max(label) + 1, at least 2. */
  nClasses?: number;
  /** Most bins a feature is quantised into for the split search, 2..256 (default 256). */
  maxBins?: number;
  /** Same data + same seed = the same forest bit for bit (default 1). */
  seed?: number;
}

export type ResolvedForestOptions = Required<Omit<ForestOptions, 'classWeight'>> & { classWeight: ClassWeight };

/**
 * Defaults from bench/random-forest-bench.ts (its header holds the figures): prediction
 * costs about (trees x depth); 16 trees of depth 10 walk ~550 ns of CPU per
 * pixel with 40 features, so a 1024 x 1024 x 300 volume takes ~85 s on two
 * cores for the forest alone (32 trees: ~2x, depth 8: ~0.8x). Test accuracy
 * against 64 trees of depth 10: -0.8 points on 10-D blobs, -0.1 on XOR, -0.4 on
 * the 40-D pixel-like problem (20k training samples); against 32 trees of depth
 * 10 on 200k pixel-like samples: -0.35 points.
 */
export const DEFAULT_FOREST_OPTIONS = {
  nTrees: 16,
  maxDepth: 10,
  minSamplesLeaf: 1,
  bootstrap: true,
  classWeight: 'balanced' as ClassWeight,
  maxBins: 256,
  seed: 1,
};

export interface LongJobOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}
