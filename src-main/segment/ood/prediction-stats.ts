// What a model's probabilities say about its own certainty, slice by slice: the mean
// binary entropy (bits; 0 = sure of every pixel, 1 = a coin toss everywhere) and the
// solid fraction of its labels. Collected while the run streams its slices.
export interface SlicePrediction {
  /** Mean binary entropy of the probability of solid over the slice, in bits. */
  entropyBits: number;
  /** Share of the slice's pixels labelled solid. */
  solidFraction: number;
}

/** Binary entropy in bits of probability p (0 at 0 and 1, 1 at 0.5). */
export function binaryEntropyBits(p: number): number {
  if (!(p > 0) || !(p < 1)) return 0;
  return -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
}

/** One slice: labels (1 = solid) and, when the model gave them, the probabilities of solid (same length). */
export function slicePrediction(labels: Uint8Array, probSolid?: Float32Array): SlicePrediction {
  let solid = 0;
  for (let i = 0; i < labels.length; i++) solid += labels[i];
  let h = 0;
  if (probSolid) for (let i = 0; i < probSolid.length; i++) h += binaryEntropyBits(probSolid[i]);
  return { entropyBits: probSolid ? h / probSolid.length : Number.NaN, solidFraction: solid / labels.length };
}
