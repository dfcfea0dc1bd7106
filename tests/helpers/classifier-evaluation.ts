// The pixel classifier against every other segmentation method on a stack with a
// known truth, as a user would meet it: a simulated user paints a few slices
// (interior strokes, then corrections over the largest errors, a few rounds), the
// classifier trains on the painted pixels only, and every method is scored on the
// slices nobody painted. Used by the test and by bench/classifier-vs-methods.ts.
import { join } from 'node:path';
import type { Volume } from '../../src-shared/volume';
import { loadModel } from '../../src-main/inference/load-model';
import { segmentStack } from '../../src-main/inference/segment-stack';
import { kmeansSegment, otsuSegment } from '../../src-main/segment/classical';
import { modelsDir } from '../../src-main/segment/model-files';
import { channelFromVolume, FeatureWorkspace } from '../../src-main/segment/pixel-features';
import { paintedSamples, predictSlice, trainPixelClassifier } from '../../src-main/segment/trained-classifier/pixel-classifier';
import { estimateOnWholeSlices } from '../../src-main/segment/trained-classifier/whole-slice-estimate';
import { SimulatedAnnotator } from './simulated-annotator';

export interface HeldOutScore {
  /** % of held-out voxels misplaced. */
  mp: number;
  /** % of held-out solid labelled pore. */
  mgp: number;
  /** mean IoU of pore and solid. */
  miou: number;
}

export function scoreSlices(pred: (z: number) => Uint8Array, truth: (z: number) => Uint8Array, slices: number[]): HeldOutScore {
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (const z of slices) {
    const p = pred(z);
    const t = truth(z);
    for (let i = 0; i < t.length; i++) {
      if (t[i]) p[i] ? tp++ : fn++;
      else p[i] ? fp++ : tn++;
    }
  }
  const n = tp + tn + fp + fn;
  return { mp: (100 * (fp + fn)) / n, mgp: (100 * fn) / Math.max(1, tp + fn), miou: (tp / Math.max(1, tp + fp + fn) + tn / Math.max(1, tn + fp + fn)) / 2 };
}

export interface EvaluationOptions {
  /** Slices the simulated user paints. */
  painted: number[];
  /** Fraction of the painted slices' pixels the user may paint, e.g. 0.01. */
  budgetFraction: number;
  /** Correction rounds after the first strokes (at most 4 in all). */
  rounds: number;
  models?: string[];
  /** A shipped model whose probability of solid is a second feature channel. */
  featureModel?: string;
  seed?: number;
}

export interface EvaluationResult {
  heldOut: number[];
  paintedPixels: number;
  paintedFraction: number;
  /** Classifier after each round (0 = interior strokes only). */
  rounds: { painted: number; score: HeldOutScore; estimate: HeldOutScore | null; wholeSliceMp: number | null; truePaintedSlicesMp: number }[];
  classifier: HeldOutScore;
  estimate: HeldOutScore | null;
  others: Record<string, HeldOutScore>;
}

async function modelRun(name: string, grey: Volume): Promise<{ labels: Uint8Array[]; prob: Float32Array[] }> {
  const model = await loadModel(join(modelsDir(), `${name}.onnx`), { ep: 'cpu' });
  try {
    const labels: Uint8Array[] = [];
    const prob: Float32Array[] = [];
    await segmentStack(model, grey.shape, (z: number) => grey.slices[z], (z, l, p) => void ((labels[z] = l.slice()), (prob[z] = p!.slice())), { probabilities: true });
    return { labels, prob };
  } finally {
    await model.session.release();
  }
}

export async function evaluateClassifier(grey: Volume, truth: Uint8Array[], opts: EvaluationOptions): Promise<EvaluationResult> {
  const [nz, ny, nx] = grey.shape;
  const heldOut = Array.from({ length: nz }, (_, z) => z).filter((z) => !opts.painted.includes(z));
  const t = (z: number) => truth[z];
  const user = new SimulatedAnnotator({ ny, nx, slices: opts.painted, budget: Math.floor(opts.budgetFraction * opts.painted.length * ny * nx), seed: opts.seed }, t);
  const channels = [channelFromVolume(grey)];
  const runs = new Map<string, Awaited<ReturnType<typeof modelRun>>>();
  for (const m of new Set([...(opts.models ?? []), ...(opts.featureModel ? [opts.featureModel] : [])])) runs.set(m, await modelRun(m, grey));
  if (opts.featureModel) channels.push(channelFromVolume({ ...grey, dtype: 'float32', slices: runs.get(opts.featureModel)!.prob }));
  // The user's first strokes: a quarter of the budget, inside pores and inside solid.
  const strokeLength = Math.max(6, Math.round(Math.min(nx, ny) / 16));
  const perClass = Math.max(2, Math.floor(user['opts'].budget / 4 / (2 * opts.painted.length * strokeLength)));
  user.interiorStrokes(perClass, strokeLength);
  const rounds: EvaluationResult['rounds'] = [];
  let predicted = new Map<number, Uint8Array>();
  let last: ReturnType<typeof trainPixelClassifier> | undefined;
  for (let r = 0; r <= opts.rounds; r++) {
    if (r > 0) {
      const left = user['opts'].budget - user.painted;
      const regions = 12;
      user.correct((z) => predicted.get(z)!, regions, Math.max(3, Math.floor(left / (opts.rounds - r + 1) / regions)));
    }
    const s = user.samples();
    last = trainPixelClassifier(channels, { z: s.z, pixel: s.pixel, value: s.value });
    const ws = new FeatureWorkspace();
    predicted = new Map(Array.from({ length: nz }, (_, z) => [z, predictSlice(last!.classifier, channels, z, ws).labels]));
    const p = last.estimate?.pooled;
    const c = last.classifier;
    const sampleZ = Array.from({ length: Math.min(8, nz) }, (_, i) => Math.floor((i * nz) / Math.min(8, nz)));
    const w = estimateOnWholeSlices(channels, paintedSamples(channels, { z: s.z, pixel: s.pixel, value: s.value }, c.spec, c.normalisation), c.spec, c.normalisation, {}, undefined, { forest: c.forest, slices: sampleZ });
    rounds.push({
      painted: user.painted,
      score: scoreSlices((z) => predicted.get(z)!, t, heldOut),
      estimate: p ? { mp: p.mp, mgp: p.mgp, miou: p.miou } : null,
      wholeSliceMp: w?.mpPercent ?? null,
      truePaintedSlicesMp: scoreSlices((z) => predicted.get(z)!, t, opts.painted).mp,
    });
  }
  const others: Record<string, HeldOutScore> = {};
  const otsu = otsuSegment(grey).labels.slices as Uint8Array[];
  others.otsu = scoreSlices((z) => otsu[z], t, heldOut);
  const kmeans = kmeansSegment(grey).labels.slices as Uint8Array[];
  others.kmeans = scoreSlices((z) => kmeans[z], t, heldOut);
  for (const m of opts.models ?? []) others[m] = scoreSlices((z) => runs.get(m)!.labels[z], t, heldOut);
  const final = rounds[rounds.length - 1];
  return {
    heldOut,
    paintedPixels: user.painted,
    paintedFraction: user.painted / (opts.painted.length * ny * nx),
    rounds,
    classifier: final.score,
    estimate: final.estimate,
    others,
  };
}
