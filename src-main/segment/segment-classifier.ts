// The pixel classifier on a stored volume: learns from the user's annotations of
// the first grey volume (features from every named volume: channels such as 1 / 2 /
// 4 kV), estimates its accuracy by holding out whole annotated slices, predicts
// every slice, and stores the labels, a map of how unsure it was and the trained
// classifier (with the annotation version) in the project. Also the preview of one
// slice that the Segmentation step shows while the user paints.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';
import type { SliceArray } from '../../src-shared/dtype';
import { gatherSamples } from '../project/annotation-store';
import { saveDerivedVolumeStreaming } from '../project/save-volume';
import { getVolume, readSlice, type StoredVolume } from '../project/volume-store';
import { computeGreyNormalisation, defaultFeatureSpec, FeatureWorkspace, type FeatureChannel, type PixelFeatureSpec } from './pixel-features';
import type { CrossValidationResult } from './pixel-classifier';
import { paintedSamples, predictSlice, storeClassifier, trainPixelClassifier, uncertaintyByte, type TrainResult } from './trained-classifier/pixel-classifier';
import { estimateOnWholeSlices, type WholeSliceEstimate } from './trained-classifier/whole-slice-estimate';

/**
 * A stored volume as a feature channel. Slices are read (and checked) asynchronously
 * into a cache by `load` before the synchronous feature code asks for them.
 */
class StoredChannel implements FeatureChannel {
  readonly shape;
  readonly dtype;
  readonly voxelSizeNm;
  readonly zPositionsNm;
  private readonly cache = new Map<number, SliceArray>();
  constructor(
    private readonly db: Database,
    private readonly volume: StoredVolume,
  ) {
    ({ shape: this.shape, dtype: this.dtype, voxelSizeNm: this.voxelSizeNm, zPositionsNm: this.zPositionsNm } = volume);
  }
  /** Keeps exactly slices `zs` in memory (reads the missing ones). */
  async load(zs: Iterable<number>): Promise<void> {
    const want = new Set(zs);
    for (const k of [...this.cache.keys()]) if (!want.has(k)) this.cache.delete(k);
    for (const k of want) if (!this.cache.has(k)) this.cache.set(k, await readSlice(this.db, this.volume, k));
  }
  getSlice(k: number): SliceArray {
    const s = this.cache.get(k);
    if (!s) throw new AppError('internal', `Slice ${k} of "${this.volume.name}" was not read before its features were computed.`);
    return s;
  }
}

/** Slices z - reach .. z + reach within the stack: what the features of slice z read (neighbours mirror inside it). */
function around(zs: Iterable<number>, reach: number, nz: number): number[] {
  const out = new Set<number>();
  for (const z of zs) for (let k = Math.max(0, z - reach); k <= Math.min(nz - 1, z + reach); k++) out.add(k);
  return [...out];
}

async function loadAll(channels: StoredChannel[], zs: number[]): Promise<void> {
  for (const c of channels) await c.load(zs);
}

/** The accuracy estimate as the user sees it (percent, mean IoU), or why there is none. */
export interface ClassifierEstimate {
  /**
   * The headline estimate: % of the annotated slices' voxels misplaced, from the error rate per
   * confidence of held-out painted pixels weighted by the confidence of every pixel of those slices
   * (whole-slice-estimate.ts); null with fewer than two annotated slices.
   */
  wholeSliceMpPercent: number | null;
  scheme: CrossValidationResult['scheme'];
  weaker: boolean;
  note: string;
  mpPercent: number | null;
  mgpPercent: number | null;
  meanIoU: number | null;
  /** Painted pixels the estimate rests on. */
  pixels: number;
}

export function describeEstimate(cv: CrossValidationResult | null, whole: WholeSliceEstimate | null = null): ClassifierEstimate | null {
  if (!cv) return null;
  const p = cv.pooled;
  return {
    wholeSliceMpPercent: whole?.mpPercent ?? null,
    scheme: cv.scheme,
    weaker: cv.weaker,
    note: cv.note,
    mpPercent: p?.mp ?? null,
    mgpPercent: p?.mgp ?? null,
    meanIoU: p?.miou ?? null,
    pixels: p?.n ?? 0,
  };
}

export interface ClassifierSetup {
  sources: StoredVolume[];
  channels: StoredChannel[];
  trained: TrainResult;
  estimate: ClassifierEstimate | null;
  annotationVersion: number;
  painted: number;
}

/** Checks the volumes, reads the annotations of the first one and trains on them. */
export async function trainFromAnnotations(db: Database, names: string[], opts: { signal?: AbortSignal; crossValidate?: boolean } = {}): Promise<ClassifierSetup> {
  const sources = names.map((n) => getVolume(db, n));
  const first = sources[0];
  for (const v of sources) {
    if (v.kind !== 'grey') throw new AppError('invalid_input', `"${v.name}" is a ${v.kind} volume: the pixel classifier learns from grey images; choose the imported or registered stack.`);
    if (v.shape.some((n, i) => n !== first.shape[i])) {
      throw new AppError('size_mismatch', `"${first.name}" (${first.shape.join(' x ')}) and "${v.name}" (${v.shape.join(' x ')}) differ in size: register or crop them to one size first.`);
    }
  }
  const samples = gatherSamples(db, first.name);
  if (samples.count === 0) {
    throw new AppError(
      'invalid_input',
      `"${first.name}" has no annotations yet: paint pore and solid strokes on a few slices in the Segmentation step, or import them with fibrecon annotate ${'PROJECT'} --volume "${first.name}" --labels LABELS.tif.`,
    );
  }
  const channels = sources.map((v) => new StoredChannel(db, v));
  const nz = first.shape[0];
  // Normalisation from every step-th slice (at most ~32 slices read), then the painted slices and their neighbours.
  const step = Math.max(1, Math.floor(nz / 32));
  await loadAll(channels, Array.from({ length: Math.ceil(nz / step) }, (_, i) => i * step));
  const normalisation = computeGreyNormalisation(channels, { sliceStep: step, signal: opts.signal });
  const spec = defaultFeatureSpec(channels.length);
  await loadAll(channels, around(new Set(samples.z), reachOf(spec), nz));
  const painted = { z: samples.z, pixel: samples.pixel, value: samples.classValue };
  const trained = trainPixelClassifier(channels, painted, { spec, normalisation, signal: opts.signal, crossValidate: opts.crossValidate });
  let whole: WholeSliceEstimate | null = null;
  if (opts.crossValidate !== false) {
    const samplesWithFeatures = paintedSamples(channels, painted, spec, normalisation, { signal: opts.signal });
    // The final forest's confidence on up to 8 evenly spaced slices weighs the error rates.
    const sampleZ = [...new Set(Array.from({ length: Math.min(8, nz) }, (_, i) => Math.floor((i * nz) / Math.min(8, nz))))];
    const needed = new Set([...around(new Set(samples.z), reachOf(spec), nz), ...around(sampleZ, reachOf(spec), nz)]);
    await loadAll(channels, [...needed]);
    whole = estimateOnWholeSlices(channels, samplesWithFeatures, spec, normalisation, {}, opts.signal, { forest: trained.classifier.forest, slices: sampleZ });
  }
  return { sources, channels, trained, estimate: describeEstimate(trained.estimate, whole), annotationVersion: samples.version, painted: samples.count };
}

function reachOf(spec: PixelFeatureSpec): number {
  return spec.neighbours.offsets.reduce((m, o) => Math.max(m, Math.abs(o)), 0);
}

/** Reads what slice z's features need, then predicts it. */
async function predictStoredSlice(s: ClassifierSetup, z: number, ws: FeatureWorkspace, signal?: AbortSignal) {
  await loadAll(s.channels, around([z], reachOf(s.trained.classifier.spec), s.sources[0].shape[0]));
  return predictSlice(s.trained.classifier, s.channels, z, ws, signal);
}

export interface ClassifierPreview {
  labels: Uint8Array;
  /** 0 = certain .. 255 = a coin flip, per pixel of slice z. */
  uncertainty: Uint8Array;
  estimate: ClassifierEstimate | null;
  annotationVersion: number;
  painted: number;
  convention: string;
}

/** Trains on the current annotations and predicts slice z only (the live preview). */
export async function previewClassifier(db: Database, names: string[], z: number, signal?: AbortSignal): Promise<ClassifierPreview> {
  const s = await trainFromAnnotations(db, names, { signal });
  const p = await predictStoredSlice(s, z, new FeatureWorkspace(), signal);
  const uncertainty = p.solidByte.map(uncertaintyByte);
  return { labels: p.labels, uncertainty, estimate: s.estimate, annotationVersion: s.annotationVersion, painted: s.painted, convention: convention(s) };
}

function convention(s: ClassifierSetup): string {
  const t = s.trained.classifier.trainedOn;
  return (
    `pixel classifier (random forest of ${s.trained.classifier.forest.nTrees} trees on ${s.trained.classifier.forest.nFeatures} features of ${s.sources.map((v) => v.name).join(', ')}) ` +
    `trained on ${t.pore + t.solid} painted pixels (${t.pore} pore, ${t.solid} solid) of slices ${t.slices.join(', ')}, annotation version ${s.annotationVersion}; solid where the forest's probability of solid is above 0.5`
  );
}

export interface ClassifierRunReport {
  solid: number;
  estimate: ClassifierEstimate | null;
  annotationVersion: number;
  convention: string;
  /** Mean uncertainty (0..1) of every slice: where to check or paint next. */
  uncertaintyPerSlice: number[];
  uncertaintyVolume: string;
}

/** The whole run: labels volume `out` and its uncertainty map `${out}-uncertainty`, the classifier stored with them. */
export async function segmentWithClassifier(
  db: Database,
  names: string[],
  out: string,
  ctx: { signal?: AbortSignal; onProgress?: (p: { fraction: number; message: string }) => void; startRun: (params: Record<string, unknown>) => number; finishRun?: () => void },
  /** More to store in the labels' metadata (method auto's record). */
  extraMetadata: Record<string, unknown> = {},
): Promise<ClassifierRunReport> {
  const uncertaintyName = `${out}-uncertainty`;
  if (db.prepare('SELECT 1 FROM volume WHERE name = ?').get(uncertaintyName)) {
    throw new AppError('invalid_input', `The project already has a volume named "${uncertaintyName}" (where the uncertainty map would go): choose another output name.`);
  }
  ctx.onProgress?.({ fraction: 0, message: 'Learning from the annotations' });
  const s = await trainFromAnnotations(db, names, { signal: ctx.signal });
  const estimate = s.estimate;
  const conv = convention(s);
  const source = s.sources[0];
  const runId = ctx.startRun({ volume: names.join(','), method: 'pixel-classifier', out, annotationVersion: s.annotationVersion, painted: s.painted, estimate });
  const [nz, ny, nx] = source.shape;
  const unsure: Uint8Array[] = new Array(nz);
  const uncertaintyPerSlice: number[] = new Array(nz).fill(0);
  let solid = 0;
  const ws = new FeatureWorkspace();
  const info = { shape: source.shape, dtype: 'uint8' as const, voxelSizeNm: source.voxelSizeNm, zPositionsNm: source.zPositionsNm };
  const voxelSizeSource = source.voxelSizeSource;
  const meta = { method: 'pixel-classifier', source: source.name, sources: names, annotationVersion: s.annotationVersion, estimate, convention: conv, ...extraMetadata };
  // The labels, their uncertainty map and the classifier are one result: stored in one
  // transaction, so a kill, a cancel or an error between them leaves none of them.
  db.exec('BEGIN IMMEDIATE');
  try {
    const labelsId = await saveDerivedVolumeStreaming(db, info, { name: out, kind: 'labels', voxelSizeSource, metadata: meta, runId, signal: ctx.signal }, async (write) => {
      for (let z = 0; z < nz; z++) {
        const p = await predictStoredSlice(s, z, ws, ctx.signal);
        const u = new Uint8Array(ny * nx);
        let sum = 0;
        for (let i = 0; i < u.length; i++) {
          u[i] = uncertaintyByte(p.solidByte[i]);
          sum += u[i];
          solid += p.labels[i];
        }
        unsure[z] = u;
        uncertaintyPerSlice[z] = sum / (255 * u.length);
        await write(z, p.labels);
        ctx.onProgress?.({ fraction: (z + 1) / (nz + 1), message: `Classifying slice ${z + 1} of ${nz}` });
      }
    });
    await saveDerivedVolumeStreaming(
      db,
      info,
      { name: uncertaintyName, kind: 'probability', voxelSizeSource, metadata: { method: 'pixel-classifier uncertainty', of: out, convention: '0 = certain, 255 = a coin flip: 255 (1 - |2 p - 1|), p the probability of solid' }, runId, signal: ctx.signal },
      async (write) => {
        for (let z = 0; z < nz; z++) await write(z, unsure[z]);
      },
    );
    db.prepare('INSERT INTO classifier (source_volumes_json, annotation_version, volume_id, created_at, classifier_json, estimate_json, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      JSON.stringify(names),
      s.annotationVersion,
      labelsId,
      new Date().toISOString(),
      JSON.stringify(storeClassifier(s.trained.classifier)),
      JSON.stringify(estimate),
      runId,
    );
    ctx.finishRun?.();
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
  return { solid: solid / (nz * ny * nx), estimate, annotationVersion: s.annotationVersion, convention: conv, uncertaintyPerSlice, uncertaintyVolume: uncertaintyName };
}

/** The estimate in one sentence, with units. */
export function describeEstimateText(e: ClassifierEstimate | null): string {
  if (!e || e.mpPercent === null) return `No accuracy estimate: ${e?.note ?? 'cross-validation was not run'}.`;
  const whole =
    e.wholeSliceMpPercent === null
      ? 'no whole-slice estimate (annotate a second slice)'
      : `estimated MP ${e.wholeSliceMpPercent.toFixed(2)} % of the voxels (error rate per confidence from annotated slices held out in turn, weighted by the confidence on whole slices; leans pessimistic with few annotations)`;
  return (
    `Accuracy from the annotations alone: ${whole}; on the held-out painted pixels themselves MP ${e.mpPercent.toFixed(2)} %, MGP ${e.mgpPercent!.toFixed(2)} %, mIoU ${e.meanIoU!.toFixed(3)}` +
    ` (${e.pixels} pixels; painted pixels sit where painting was needed, so this figure is usually the more pessimistic)${e.weaker ? '; a weaker estimate: only one slice is annotated, annotate another slice' : ''}.`
  );
}

/** What a run learnt, how good it thinks it is, and where it is least sure. */
export function describeClassifierRun(r: ClassifierRunReport): string {
  const worst = r.uncertaintyPerSlice
    .map((u, z) => ({ u, z }))
    .sort((a, b) => b.u - a.u)
    .slice(0, 3)
    .map((s) => `${s.z} (${(100 * s.u).toFixed(1)} %)`);
  return `${describeEstimateText(r.estimate)} Least sure on slices ${worst.join(', ')} (mean uncertainty): check or paint there next; the map is "${r.uncertaintyVolume}".`;
}
