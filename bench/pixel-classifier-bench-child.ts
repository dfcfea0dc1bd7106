// One measured run of our pixel classifier for bench/pixel-classifier-bench.ts, in a
// process of its own so that its peak RSS (resourceUsage().maxRSS) is this run's.
// Reads the stack, its truth and the strokes the parent wrote, then:
// - mode 'case': trains as trainPixelClassifier does (grey normalisation, features
//   at the painted pixels, forest; cross-validation timed apart), predicts every
//   slice with predictSlice through one workspace, scores the slices nobody
//   painted, and splits features / forest on a few slices by the same bands;
// - mode 'variants': for every feature spec, the features of the held-out slices
//   once, a forest per set of strokes, MP on those slices and the time of each part.
// Prints one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addToConfusion,
  classMetrics,
  crossValidate,
  emptyConfusion,
  predictProbabilities,
  trainRandomForest,
  type RandomForest,
} from '../src-main/segment/pixel-classifier';
import {
  channelFromVolume,
  computeGreyNormalisation,
  computeSliceFeatures,
  defaultFeatureSpec,
  featureCount,
  FeatureWorkspace,
  type FeatureChannel,
  type PixelFeatureSpec,
} from '../src-main/segment/pixel-features';
import { paintedSamples, predictSlice, type TrainedPixelClassifier } from '../src-main/segment/trained-classifier/pixel-classifier';
import type { Volume } from '../src-shared/volume';
import type { PaintedStrokes } from './pixel-classifier-bench-stack';

export interface ChildRequest {
  mode: 'case' | 'variants';
  dir: string;
  shape: [number, number, number];
  heldOut: number[];
  /** Stroke sets (file names in dir); 'case' uses the first. */
  strokes: string[];
  /** 'variants': the specs to compare. */
  variants?: { name: string; spec: PixelFeatureSpec }[];
  /** Trees and depth (the same as the reference's). */
  forest: { nTrees: number; maxDepth: number };
}

/** Wall and CPU seconds since the mark. */
function stopwatch() {
  const w0 = process.hrtime.bigint();
  const r0 = process.resourceUsage();
  return () => {
    const r = process.resourceUsage();
    return { wall: Number(process.hrtime.bigint() - w0) / 1e9, cpu: (r.userCPUTime + r.systemCPUTime - r0.userCPUTime - r0.systemCPUTime) / 1e6 };
  };
}
const peakMB = (): number => (process.resourceUsage().maxRSS * 1024) / 1e6;
const rssMB = (): number => process.memoryUsage().rss / 1e6;

function load(req: ChildRequest): { vol: Volume; truth: Uint8Array[] } {
  const [nz, ny, nx] = req.shape;
  const n = ny * nx;
  const greyAll = readFileSync(join(req.dir, 'grey.u8'));
  const truthAll = readFileSync(join(req.dir, 'truth.u8'));
  const slices = Array.from({ length: nz }, (_, z) => Uint8Array.from(greyAll.subarray(z * n, (z + 1) * n)));
  const truth = Array.from({ length: nz }, (_, z) => Uint8Array.from(truthAll.subarray(z * n, (z + 1) * n)));
  const vol: Volume = { shape: [nz, ny, nx], dtype: 'uint8', voxelSizeNm: { x: 5, y: 5, z: 10 }, zPositionsNm: slices.map((_, z) => 10 * z), slices };
  return { vol, truth };
}

const strokes = (req: ChildRequest, i: number): PaintedStrokes => JSON.parse(readFileSync(join(req.dir, req.strokes[i]), 'utf8'));

/** Rows per band as predictSlice chooses them (one band of features ~32 MB). */
const bandRows = (nx: number, nF: number): number => Math.max(1, Math.floor((32 << 20) / (4 * nx * nF)));

function runCase(req: ChildRequest) {
  const { vol, truth } = load(req);
  const [nz, ny, nx] = vol.shape;
  const ch = [channelFromVolume(vol)];
  const painted = strokes(req, 0);
  const rssLoaded = rssMB();
  const spec = defaultFeatureSpec(1);

  const tTrain = stopwatch();
  const tNorm = stopwatch();
  const normalisation = computeGreyNormalisation(ch, { sliceStep: Math.max(1, Math.floor(nz / 32)) });
  const norm = tNorm();
  const tFeat = stopwatch();
  const samples = paintedSamples(ch, painted, spec, normalisation);
  const trainFeatures = tFeat();
  const tForest = stopwatch();
  const forest = trainRandomForest(samples, req.forest);
  const trainForest = tForest();
  const train = tTrain();
  const trainPeak = peakMB();
  const tCv = stopwatch();
  crossValidate(samples, { forest: req.forest });
  const cv = tCv();

  const classifier: TrainedPixelClassifier = { format: 'fibrecon-pixel-classifier', version: 1, spec, normalisation, forest, trainedOn: { pore: 0, solid: 0, slices: [] } };
  const held = new Set(req.heldOut);
  const cm = emptyConfusion(2);
  const ws = new FeatureWorkspace();
  const tPredict = stopwatch();
  for (let z = 0; z < nz; z++) {
    const r = predictSlice(classifier, ch, z, ws);
    if (held.has(z)) addToConfusion(cm, truth[z], r.labels);
  }
  const predict = tPredict();
  const predictPeak = peakMB();

  // Features versus forest, by the same bands as predictSlice, on up to 2 slices after a warm-up slice.
  const nF = forest.nFeatures;
  const step = bandRows(nx, nF);
  const buffer = new Float32Array(step * nx * nF);
  const probs = new Float32Array(step * nx * 2);
  const split = { features: 0, forest: 0, slices: 0 };
  const ws2 = new FeatureWorkspace();
  const zs = Array.from({ length: Math.min(nz, 3) }, (_, i) => Math.floor(nz / 2) - 1 + i).filter((z) => z >= 0 && z < nz);
  zs.forEach((z, i) => {
    for (let y0 = 0; y0 < ny; y0 += step) {
      const y1 = Math.min(ny, y0 + step);
      const a = stopwatch();
      const f = computeSliceFeatures(ch, z, spec, normalisation, { rows: { y0, y1 }, workspace: ws2, out: buffer });
      const b = a();
      const c = stopwatch();
      predictProbabilities(forest, f.data, { start: 0, end: (y1 - y0) * nx, out: probs });
      const d = c();
      if (i > 0) {
        split.features += b.cpu;
        split.forest += d.cpu;
      }
    }
    if (i > 0) split.slices++;
  });
  const m = classMetrics(cm);
  return {
    nFeatures: nF,
    painted: painted.value.length,
    rssLoadedMB: rssLoaded,
    norm,
    trainFeatures,
    trainForest,
    train,
    cv,
    predict,
    trainPeakMB: trainPeak,
    peakMB: peakMB(),
    predictPeakMB: predictPeak,
    heapUsedMB: process.memoryUsage().heapUsed / 1e6,
    split,
    mp: m.mp,
    mgp: m.mgp,
    miou: m.miou,
  };
}

function runVariants(req: ChildRequest) {
  const { vol, truth } = load(req);
  const [, ny, nx] = vol.shape;
  const ch: FeatureChannel[] = [channelFromVolume(vol)];
  const normalisation = computeGreyNormalisation(ch, { sliceStep: Math.max(1, Math.floor(vol.shape[0] / 32)) });
  const sets = req.strokes.map((_, i) => strokes(req, i));
  const n = ny * nx;
  // Warm-up (JIT) on the default spec, not timed, so that the first variant is not charged for it.
  const warm = defaultFeatureSpec(1);
  const warmForest = trainRandomForest(paintedSamples(ch, sets[0], warm, normalisation), req.forest);
  predictProbabilities(warmForest, computeSliceFeatures(ch, req.heldOut[0], warm, normalisation).data);
  const out = [];
  for (const v of req.variants ?? []) {
    const nF = featureCount(v.spec);
    let trainS = 0;
    const forests: RandomForest[] = [];
    for (const p of sets) {
      const t = stopwatch();
      forests.push(trainRandomForest(paintedSamples(ch, p, v.spec, normalisation), req.forest));
      trainS += t().cpu / sets.length;
    }
    const cms = forests.map(() => emptyConfusion(2));
    const ws = new FeatureWorkspace();
    const feats = new Float32Array(n * nF);
    const probs = new Float32Array(n * 2);
    const labels = new Uint8Array(n);
    let featureS = 0;
    let forestS = 0;
    for (const z of req.heldOut) {
      const a = stopwatch();
      computeSliceFeatures(ch, z, v.spec, normalisation, { workspace: ws, out: feats });
      featureS += a().cpu;
      forests.forEach((forest, k) => {
        const b = stopwatch();
        predictProbabilities(forest, feats, { start: 0, end: n, out: probs });
        if (k === 0) forestS += b().cpu;
        for (let i = 0; i < n; i++) labels[i] = probs[2 * i + 1] > 0.5 ? 1 : 0;
        addToConfusion(cms[k], truth[z], labels);
      });
    }
    const mps = cms.map((cm) => classMetrics(cm).mp);
    out.push({ name: v.name, nFeatures: nF, trainS, featureS, forestS, voxels: req.heldOut.length * n, mps });
  }
  return out;
}

const req: ChildRequest = JSON.parse(process.argv[2]);
console.log(JSON.stringify(req.mode === 'case' ? runCase(req) : runVariants(req)));
