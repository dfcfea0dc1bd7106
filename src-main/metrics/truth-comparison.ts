// Quality against ground truth ([Sardhara2023] eq. 1-3, [SardharaThesis2024] eq. 2.9-2.11), solid = positive.
import { AppError } from '../../src-shared/errors';
import { type BinaryVolume, binarySlices, shapeText } from './binary-volume';

export interface TruthComparison {
  voxels: number;
  truePositive: number;
  trueNegative: number;
  falsePositive: number;
  falseNegative: number;
  /** MP = 100 (1 - (TP + TN) / N): percent of voxels whose label differs. */
  misplacedPercent: number;
  /** MGP = 100 (1 - TP / (TP + FN)): percent of true solid voxels labelled pore; null when the truth has no solid. */
  misplacedSolidPercent: number | null;
  /** 2 TP / (2 TP + FP + FN); 1 when neither volume has solid. */
  diceSolid: number;
  /** 2 TN / (2 TN + FN + FP); 1 when neither volume has pore. */
  dicePore: number;
  /** MDS = (diceSolid + dicePore) / 2. */
  meanDice: number;
  solidFractionResult: number;
  solidFractionTruth: number;
}

function dice(agree: number, disagree: number): number {
  return agree + disagree === 0 ? 1 : (2 * agree) / (2 * agree + disagree);
}

export function compareToTruth(result: BinaryVolume, truth: BinaryVolume): TruthComparison {
  if (result.shape.some((n, i) => n !== truth.shape[i])) {
    throw new AppError(
      'size_mismatch',
      `The result is ${shapeText(result.shape)} but the ground truth is ${shapeText(truth.shape)}: compare volumes of the same size (crop or resample one first).`,
    );
  }
  const a = binarySlices(result, 'the result');
  const b = binarySlices(truth, 'the ground truth');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let n = 0;
  for (let k = 0; k < a.length; k++) {
    const r = a[k];
    const t = b[k];
    for (let i = 0; i < r.length; i++) {
      // Labels are 0/1: code 2 r + t is 3 for TP, 2 for FP, 1 for FN, 0 for TN.
      const code = 2 * r[i] + t[i];
      if (code === 3) tp++;
      else if (code === 2) fp++;
      else if (code === 1) fn++;
    }
    n += r.length;
  }
  const tn = n - tp - fp - fn;
  const diceSolid = dice(tp, fp + fn);
  const dicePore = dice(tn, fp + fn);
  return {
    voxels: n,
    truePositive: tp,
    trueNegative: tn,
    falsePositive: fp,
    falseNegative: fn,
    misplacedPercent: 100 * (1 - (tp + tn) / n),
    misplacedSolidPercent: tp + fn === 0 ? null : 100 * (1 - tp / (tp + fn)),
    diceSolid,
    dicePore,
    meanDice: (diceSolid + dicePore) / 2,
    solidFractionResult: (tp + fp) / n,
    solidFractionTruth: (tp + fn) / n,
  };
}
