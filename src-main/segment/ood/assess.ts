// The out-of-distribution check of a model on a stack, before (or beside) its run over
// the whole stack: the flip check on a few blocks, the solid fractions of the model,
// Otsu and k-means on the same checked pixels (thresholds from the whole stack's
// histogram), the model's mean entropy there and the structure size of Otsu's labels;
// then the score, the verdict against the calibrated threshold and the sentence for
// the user. Pure: the model run is a callback, slices come through getSlice.
import type { Shape3, VoxelSizeNm } from '../../../src-shared/volume';
import type { GreyHistogram } from '../classical';
import { flipConsistency, type Crop, type GetGreySlice, type SegmentBlock } from './flip-consistency';
import { greyEvidence } from './grey-evidence';
import { oodScore, type OodCalibration } from './ood-score';
import { slicePrediction } from './prediction-stats';
import { chordLengths } from './structure-size';
import { oodSentence, structureNotes, type TrainedRangeLike } from './ood-text';

export interface OodModelInfo {
  name: string;
  /** Card input.slices: the window or patch depth. */
  slices: number;
  trainedRange?: TrainedRangeLike;
}

export interface OodReport {
  model: string;
  score: number;
  /** Calibrated threshold; null when no calibration was found (then no verdict). */
  threshold: number | null;
  /** score > threshold; null without a calibration. */
  outOfDepth: boolean | null;
  components: {
    flipDisagreement: number;
    /** Score terms: solid fraction below k-means beyond the allowance, above Otsu. */
    belowKmeans: number;
    aboveOtsu: number;
    /** Mean binary entropy of the model's probabilities, bits (reported, not scored). */
    entropyBits: number | null;
    modelSolidFraction: number;
    otsuSolidFraction: number;
    kmeansSolidFraction: number;
  };
  /** Per checked slice (z ascending), and which slices disagree most. */
  perSlice: {
    z: number[];
    flipDisagreement: number[];
    modelSolidFraction: number[];
    otsuSolidFraction: number[];
    entropyBits: (number | null)[];
    median: number;
    max: number;
    worst: { z: number; flipDisagreement: number }[];
  };
  checked: { crops: Crop[]; slices: number; modelRuns: number };
  structure: { otsuChordPx: number; otsuChordNm: number; pixelNm: number; notes: string[] };
  calibration: { date: string; command: string } | null;
  sentence: string;
}

export interface AssessOptions {
  model: OodModelInfo;
  shape: Shape3;
  voxelSizeNm: VoxelSizeNm;
  getSlice: GetGreySlice;
  /** Histogram of the whole grey stack (StreamingHistogram, or stackHistogram without maxBins). */
  histogram: GreyHistogram;
  segmentBlock: SegmentBlock;
  calibration?: OodCalibration;
  /** What the warning suggests instead (default "Otsu or k-means"). */
  alternative?: string;
  signal?: AbortSignal;
}

function share(labels: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) n += labels[i];
  return n / labels.length;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function assessOutOfDistribution(o: AssessOptions): Promise<OodReport> {
  const grey = greyEvidence(o.histogram);
  const flip = await flipConsistency(o.getSlice, o.shape, o.segmentBlock, { blockSlices: Math.max(8, o.model.slices), signal: o.signal });
  const { rows, columns } = flip.crops[0];
  const otsuLabels = flip.slices.map((s) => Uint8Array.from(s.grey, (v) => (v > grey.otsuThreshold ? 1 : 0)));
  const kmeansLabels = flip.slices.map((s) => Uint8Array.from(s.grey, (v) => (v > grey.kmeansThreshold ? 1 : 0)));
  const predictions = flip.slices.map((s) => slicePrediction(s.labels, s.prob && s.prob.length === s.labels.length ? s.prob : undefined));
  const n = flip.slices.length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const modelSolid = predictions.map((p) => p.solidFraction);
  const otsuSolid = otsuLabels.map(share);
  const entropy = predictions.map((p) => (Number.isFinite(p.entropyBits) ? p.entropyBits : null));
  const inputs = {
    flipDisagreement: flip.meanDisagreement,
    modelSolidFraction: mean(modelSolid),
    otsuSolidFraction: mean(otsuSolid),
    kmeansSolidFraction: mean(kmeansLabels.map(share)),
  };
  const cal = o.calibration;
  const s = oodScore(inputs, cal?.solidGapAllowance ?? 0.05);
  const chords = chordLengths(otsuLabels, [n, rows, columns], o.voxelSizeNm);
  const pixelNm = (o.voxelSizeNm.x + o.voxelSizeNm.y) / 2;
  const notes = structureNotes(o.model.trainedRange, { chordPx: chords.meanPx, pixelNm });
  const disagreement = flip.slices.map((c) => c.disagreement);
  const worst = flip.slices
    .map((c) => ({ z: c.z, flipDisagreement: c.disagreement }))
    .sort((a, b) => b.flipDisagreement - a.flipDisagreement)
    .slice(0, 3);
  const threshold = cal?.threshold ?? null;
  const outOfDepth = threshold === null ? null : s.score > threshold;
  const entropyKnown = entropy.filter((e): e is number => e !== null);
  const report: Omit<OodReport, 'sentence'> = {
    model: o.model.name,
    score: s.score,
    threshold,
    outOfDepth,
    components: { ...inputs, belowKmeans: s.belowKmeans, aboveOtsu: s.aboveOtsu, entropyBits: entropyKnown.length ? mean(entropyKnown) : null },
    perSlice: {
      z: flip.slices.map((c) => c.z),
      flipDisagreement: disagreement,
      modelSolidFraction: modelSolid,
      otsuSolidFraction: otsuSolid,
      entropyBits: entropy,
      median: median(disagreement),
      max: disagreement.reduce((a, b) => (b > a ? b : a), 0),
      worst,
    },
    checked: { crops: flip.crops, slices: n, modelRuns: flip.modelRuns },
    structure: { otsuChordPx: chords.meanPx, otsuChordNm: chords.meanNm, pixelNm, notes },
    calibration: cal ? { date: cal.date, command: cal.command } : null,
  };
  return { ...report, sentence: oodSentence(report, o.alternative) };
}
