// The out-of-distribution score of a model run, and the calibration it is judged by.
//
// score = flip disagreement
//       + max(0, k-means solid fraction - model solid fraction - allowance)
//       + max(0, model solid fraction - Otsu solid fraction)
//
// all as fractions (0.01 = 1 % of the pixels, 1 point of solid fraction). The first
// term is the share of pixels where the model's labels change under flips and a 90
// degree rotation. The other two say that the model's solid fraction left the range
// the grey values allow: shine-through only ever makes a threshold find more solid
// than there is, so no sound segmentation has more solid than Otsu; and k-means (its
// middle, shine-through class set to pore) finds at most a few points more than the
// truth on the stacks the models know (up to 4.2 points at 4 kV), so a model far below
// it has dropped solid that is there. Which terms, and the allowance, were chosen on the
// calibration stacks (bench/ood-calibration.ts, docs/benchmarks.md): flip disagreement
// alone separated best of the single candidates (prediction entropy and the structure
// size of an Otsu pass separated worse and are reported, not scored), and the solid
// fraction terms catch a model that is confidently wrong (all pore) and self-consistent.
import { z } from 'zod';

export const oodCalibrationSchema = z
  .object({
    /** A model run with a score above this is out of its depth. */
    threshold: z.number().positive(),
    /** Fraction of solid a model may find below k-means before it counts (0.05 = 5 points). */
    solidGapAllowance: z.number().min(0).max(1),
    /** When and how the threshold was found. */
    date: z.string().min(1),
    command: z.string().min(1),
    /** The calibration table in numbers: how well the threshold separates. */
    summary: z.record(z.unknown()),
  })
  .passthrough();
export type OodCalibration = z.infer<typeof oodCalibrationSchema>;

export interface OodScoreInputs {
  /** Share of checked pixels where the labels change under flips and rotation. */
  flipDisagreement: number;
  modelSolidFraction: number;
  otsuSolidFraction: number;
  kmeansSolidFraction: number;
}

export interface OodScore {
  score: number;
  flip: number;
  /** Solid fraction below k-means beyond the allowance. */
  belowKmeans: number;
  /** Solid fraction above Otsu. */
  aboveOtsu: number;
}

export function oodScore(x: OodScoreInputs, solidGapAllowance: number): OodScore {
  const belowKmeans = Math.max(0, x.kmeansSolidFraction - x.modelSolidFraction - solidGapAllowance);
  const aboveOtsu = Math.max(0, x.modelSolidFraction - x.otsuSolidFraction);
  return { score: x.flipDisagreement + belowKmeans + aboveOtsu, flip: x.flipDisagreement, belowKmeans, aboveOtsu };
}
