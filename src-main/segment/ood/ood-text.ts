// What the out-of-distribution check says to the user, in one paragraph: the verdict
// with the score and threshold, the two measurements behind it in plain units, where
// the stack lies outside what the model was trained on, and what to do instead.
import type { OodReport } from './assess';

/** The fields of a card's trainedRange the notes use (src-main/inference/model-card.ts). */
export interface TrainedRangeLike {
  pixelNm?: readonly [number, number];
  otsuChordPx?: readonly [number, number];
}

const pct = (f: number, digits = 1): string => (100 * f).toFixed(digits);

/** How far x lies outside [lo, hi], as a factor (1 inside). */
function outsideFactor(x: number, [lo, hi]: readonly [number, number]): number {
  return x < lo ? lo / x : x > hi ? x / hi : 1;
}

/** Where the stack lies outside the model's trained range (pixel size; structure size beyond 1.5 x). */
export function structureNotes(range: TrainedRangeLike | undefined, stack: { chordPx: number; pixelNm: number }): string[] {
  const notes: string[] = [];
  if (!range) return notes;
  if (range.pixelNm && outsideFactor(stack.pixelNm, range.pixelNm) > 1.05) {
    const [lo, hi] = range.pixelNm;
    notes.push(`its pixels are ${+stack.pixelNm.toFixed(2)} nm, the model was trained on ${lo === hi ? `${lo} nm` : `${lo}-${hi} nm`}`);
  }
  if (range.otsuChordPx && stack.chordPx > 0) {
    const f = outsideFactor(stack.chordPx, range.otsuChordPx);
    if (f > 1.5) {
      const [lo, hi] = range.otsuChordPx;
      notes.push(`its structure (mean chord ${stack.chordPx.toFixed(1)} px) is ${f.toFixed(1)} x ${stack.chordPx > hi ? 'larger' : 'smaller'} than in the training stacks (${lo.toFixed(1)}-${hi.toFixed(1)} px)`);
    }
  }
  return notes;
}

export function oodSentence(r: Omit<OodReport, 'sentence'>, alternative = 'Otsu or k-means'): string {
  const c = r.components;
  const flip = `its labels ${r.outOfDepth ? 'disagree with themselves' : 'change'} under flips and rotation on ${pct(c.flipDisagreement)} % of the pixels`;
  const dOtsu = 100 * (c.modelSolidFraction - c.otsuSolidFraction);
  const solid =
    `its solid fraction (${pct(c.modelSolidFraction)} %) ${Math.abs(dOtsu) < 0.05 ? "equals Otsu's" : `is ${Math.abs(dOtsu).toFixed(1)} points ${dOtsu > 0 ? 'above' : 'below'} Otsu's`}` +
    ` (${pct(c.otsuSolidFraction)} %; k-means ${pct(c.kmeansSolidFraction)} %)`;
  const score = r.score.toFixed(3);
  if (r.threshold === null) {
    return `The model ${r.model} scored ${score} on the out-of-distribution check (no calibration found, so no verdict): ${flip} and ${solid}.`;
  }
  const limit = r.threshold.toFixed(3);
  if (!r.outOfDepth) {
    return `The model ${r.model} looks at home on this stack (OOD score ${score} <= ${limit}): ${flip} and ${solid}.`;
  }
  const notes = r.structure.notes.length ? ` Besides, ${r.structure.notes.join('; ')}.` : '';
  return (
    `The model ${r.model} looks out of its depth on this stack (OOD score ${score} > ${limit}): ${flip} and ${solid}.${notes}` +
    ` Check the result against the grey images, or use ${alternative} / the pixel classifier (annotate a few slices).`
  );
}
