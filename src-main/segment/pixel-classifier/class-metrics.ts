// Agreement of predicted with annotated classes, from the confusion matrix.
// Solid (class 1) is the positive class:
//   MP  = 100 (1 - (TP + TN) / N)      % misplaced (generally: 1 - trace / N)
//   MGP = 100 (1 - TP / (TP + FN))     % of solid labelled as something else
//   Dice_k = 2 C_kk / (row_k + col_k), IoU_k = C_kk / (row_k + col_k - C_kk)
//   mIoU = mean of IoU over the classes (pore and solid); MDS = mean Dice
// A ratio with a zero denominator (a class neither annotated nor predicted)
// is NaN and left out of the means.
import { AppError } from '../../../src-shared/errors';

/** counts[truth * nClasses + predicted]. */
export interface ConfusionMatrix {
  nClasses: number;
  counts: Float64Array;
}

export interface ClassMetrics {
  /** Number of pixels compared. */
  n: number;
  /** % misplaced. */
  mp: number;
  /** % of the positive class (solid) predicted as another class. */
  mgp: number;
  /** Dice of every class, indexed by class. */
  dice: number[];
  /** IoU (Jaccard) of every class, indexed by class. */
  iou: number[];
  /** Mean IoU over the classes. */
  miou: number;
  /** Mean Dice over the classes (the MDS of docs/metrics.md). */
  mds: number;
}

export function emptyConfusion(nClasses: number): ConfusionMatrix {
  return { nClasses, counts: new Float64Array(nClasses * nClasses) };
}

/** Adds the pixels truth[i] / predicted[i] for i in `which` (default all) to cm. */
export function addToConfusion(cm: ConfusionMatrix, truth: ArrayLike<number>, predicted: ArrayLike<number>, which?: ArrayLike<number>): ConfusionMatrix {
  const K = cm.nClasses;
  const n = which ? which.length : truth.length;
  if (!which && predicted.length !== truth.length) throw new AppError('invalid_input', `${truth.length} annotated and ${predicted.length} predicted classes: compare the same pixels.`);
  for (let j = 0; j < n; j++) {
    const i = which ? which[j] : j;
    const t = truth[i];
    const p = predicted[i];
    if (!(t >= 0 && t < K && p >= 0 && p < K)) throw new AppError('invalid_input', `Pixel ${i} has class ${t} annotated and ${p} predicted; classes run 0..${K - 1}.`);
    cm.counts[t * K + p]++;
  }
  return cm;
}

export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, nClasses: number): ConfusionMatrix {
  return addToConfusion(emptyConfusion(nClasses), truth, predicted);
}

/** Element-wise sum (pooling folds). */
export function sumConfusion(nClasses: number, parts: readonly ConfusionMatrix[]): ConfusionMatrix {
  const out = emptyConfusion(nClasses);
  for (const p of parts) for (let i = 0; i < out.counts.length; i++) out.counts[i] += p.counts[i];
  return out;
}

function meanDefined(values: number[]): number {
  const d = values.filter((v) => !Number.isNaN(v));
  return d.length === 0 ? NaN : d.reduce((a, b) => a + b, 0) / d.length;
}

export function classMetrics(cm: ConfusionMatrix, positiveClass = 1): ClassMetrics {
  const K = cm.nClasses;
  const c = cm.counts;
  let n = 0;
  let diagonal = 0;
  const row = new Float64Array(K);
  const col = new Float64Array(K);
  for (let t = 0; t < K; t++) {
    for (let p = 0; p < K; p++) {
      const v = c[t * K + p];
      n += v;
      row[t] += v;
      col[p] += v;
      if (t === p) diagonal += v;
    }
  }
  const dice: number[] = [];
  const iou: number[] = [];
  for (let k = 0; k < K; k++) {
    const tp = c[k * K + k];
    dice.push(row[k] + col[k] > 0 ? (2 * tp) / (row[k] + col[k]) : NaN);
    iou.push(row[k] + col[k] - tp > 0 ? tp / (row[k] + col[k] - tp) : NaN);
  }
  const tpPositive = c[positiveClass * K + positiveClass];
  return {
    n,
    mp: n > 0 ? 100 * (1 - diagonal / n) : NaN,
    mgp: row[positiveClass] > 0 ? 100 * (1 - tpPositive / row[positiveClass]) : NaN,
    dice,
    iou,
    miou: meanDefined(iou),
    mds: meanDefined(dice),
  };
}
