// The segmentation step on a stored volume: a classical method (global histogram,
// the whole stack in memory) or an ONNX model (slice by slice through the inference
// engine, memory bounded by the model's window); the result is a new label volume
// (uint8, 1 = solid, 0 = pore) in the project, written all or nothing, with the run.
// A one-stack model is checked on the stack first (out-of-distribution check); method
// 'auto' (auto-segment.ts) picks the method by measurement and runs it through here.
// Storage is passed in (db), as everywhere in src-main/project.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { SEGMENTATION_METHODS, type SegmentationMethod } from '../../src-shared/pipeline-methods';
import { describeInputStack, inputStacks } from '../inference/model-card';
import { loadModel } from '../inference/load-model';
import type { EpChoice } from '../inference/session';
import { loadVolume, saveDerivedVolume, saveDerivedVolumeStreaming } from '../project/save-volume';
import { getVolume, readSlice, volumeNameExists } from '../project/volume-store';
import { hybridSegment, kmeansSegment, multiOtsuSegment, otsuSegment, type ClassicalResult } from './classical';
import { resolveModelPath } from './model-files';
import { segmentWithClassifier, type ClassifierRunReport } from './segment-classifier';
import { appendRunLog } from '../project/runs';
import { autoSegmentStoredVolume, type AutoRecord } from './auto-segment';
import { assessModelOnVolume, oodApplies } from './model-ood';
import { loadOodCalibration } from './ood-calibration-file';
import type { OodReport } from './ood/assess';
import { describeInPlaneScale, type InPlaneScale } from './scale/in-plane-scale';
import { decideStackScale } from './scale/stack-scale';
import { segmentStackRescaled } from './scale/rescaled-run';

export { SEGMENTATION_METHODS, type SegmentationMethod };

export interface SegmentRequest {
  /**
   * Name of the grey volume in the project. For a model with several input stacks (late
   * fusion, card input.channels): the volumes' names separated by commas, in the card's
   * order (e.g. "1kV,2kV,4kV"); a name that exists as given is always one volume.
   */
  volume: string;
  /** Alternative to a comma-separated `volume`: the input volumes in the card's order. */
  volumes?: string[];
  method: SegmentationMethod;
  /** method 'model': a shipped model's name or an .onnx path (card beside it). */
  model?: string;
  ep?: EpChoice;
  tile?: number;
  batchSize?: number;
  /** Name of the new label volume. */
  out: string;
  /**
   * Model runs: resample the stack in-plane to the feature size the model was trained on
   * when its chord lies well outside the card's trainedRange.otsuChordPx (src-main/segment/scale).
   * Default true; false runs the model on the stack's own pixels.
   */
  rescale?: boolean;
}

export interface SegmentReport {
  out: string;
  method: SegmentationMethod;
  /** Classical methods: grey thresholds (ascending) and what is solid. */
  thresholds?: number[];
  convention: string;
  /** Model runs: the model's card name, the execution provider and why. */
  model?: { name: string; path: string; kind: string; ep: 'cuda' | 'cpu'; reason: string };
  /** The input volume(s), in the order the model read them. */
  volumes: string[];
  solidFraction: number;
  slices: number;
  /** Pixel-classifier runs: the accuracy estimate, the annotation version, the uncertainty map. */
  classifier?: ClassifierRunReport;
  /** Runs of a one-stack model: its out-of-distribution check (src-main/segment/ood). */
  ood?: OodReport;
  /** Method 'auto': the method it chose and why (then `method` is the chosen one). */
  auto?: AutoRecord;
  /** Model runs with a card that gives the trained chord: the in-plane scale the model saw, and why. */
  rescale?: RescaleRecord;
}

/** The in-plane scale decision of a model run, with its sentence. */
export type RescaleRecord = InPlaneScale & { sentence: string };

export interface SegmentContext {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Records the run once the inputs are valid (and the model open); returns its id. */
  startRun: (params: Record<string, unknown>) => number;
  /** Marks the run done, called inside the transaction that stores the result (project-step.ts). */
  finishRun?: () => void;
  /** Set by method 'auto' for the method it chose: why, and the model's check already made. */
  auto?: { record: AutoRecord; ood?: OodReport };
}

/** The classical segmenter of a method. */
export function classical(method: Exclude<SegmentationMethod, 'model' | 'pixel-classifier' | 'auto'>) {
  return { otsu: otsuSegment, 'multi-otsu': multiOtsuSegment, kmeans: kmeansSegment, hybrid: hybridSegment }[method];
}

function countSolid(labels: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) n += labels[i];
  return n;
}

/** The input volume names: req.volumes, else req.volume as one name when it exists, else split at commas. */
export function segmentInputNames(db: Database, req: Pick<SegmentRequest, 'volume' | 'volumes'>): string[] {
  if (req.volumes?.length) return req.volumes;
  if (!req.volume.includes(',') || volumeNameExists(db, req.volume)) return [req.volume];
  const names = req.volume.split(',').map((n) => n.trim());
  if (names.some((n) => !n)) throw new AppError('invalid_input', `"${req.volume}" has an empty volume name: give the names separated by commas, e.g. 1kV,2kV,4kV.`);
  return names;
}

export async function segmentStoredVolume(db: Database, req: SegmentRequest, ctx: SegmentContext): Promise<SegmentReport> {
  if (!(SEGMENTATION_METHODS as readonly string[]).includes(req.method)) {
    throw new AppError('invalid_input', `segmentation method must be one of ${SEGMENTATION_METHODS.join(', ')}, got ${JSON.stringify(req.method)}`);
  }
  if (req.method === 'auto') return autoSegmentStoredVolume(db, req, ctx, segmentStoredVolume);
  if (volumeNameExists(db, req.out)) throw new AppError('invalid_input', `The project already has a volume named "${req.out}": choose another output name.`);
  const names = segmentInputNames(db, req);
  if (names.length > 1 && req.method !== 'model' && req.method !== 'pixel-classifier') {
    throw new AppError('invalid_input', `Several volumes (${names.join(', ')}) are only for a model that reads several stacks (late fusion); "${req.method}" segments one volume.`);
  }
  const sources = names.map((n) => getVolume(db, n));
  const source = sources[0];
  for (const other of sources.slice(1)) {
    if (other.shape.some((n, i) => n !== source.shape[i])) {
      throw new AppError(
        'size_mismatch',
        `The volumes "${source.name}" (${source.shape.join(' x ')}) and "${other.name}" (${other.shape.join(' x ')}) differ in size (slices x rows x columns): register or crop them to one size first (fibrecon register, or import with the same --crop).`,
      );
    }
  }
  if (req.method === 'pixel-classifier') {
    if (req.model) throw new AppError('invalid_input', 'a model is only used with method "model", not "pixel-classifier"');
    const r = await segmentWithClassifier(db, names, req.out, ctx, ctx.auto ? { auto: ctx.auto.record } : {});
    return { out: req.out, method: req.method, convention: r.convention, volumes: names, solidFraction: r.solid, slices: source.shape[0], classifier: r, ...(ctx.auto ? { auto: ctx.auto.record } : {}) };
  }
  const voxelSizeSource = { ...source.voxelSizeSource, z: source.voxelSizeSource.z };
  const voxels = source.shape[0] * source.shape[1] * source.shape[2];

  if (req.method !== 'model') {
    if (req.model) throw new AppError('invalid_input', `a model is only used with method "model", not "${req.method}"`);
    const runId = ctx.startRun({ volume: source.name, method: req.method, out: req.out });
    const volume = await loadVolume(db, source.name, ctx.signal);
    const r: ClassicalResult = classical(req.method)(volume, { signal: ctx.signal, onProgress: ctx.onProgress });
    const solid = r.labels.slices.reduce((a, s) => a + countSolid(s as Uint8Array), 0);
    await saveDerivedVolume(db, r.labels, {
      name: req.out,
      kind: 'labels',
      voxelSizeSource,
      metadata: { method: req.method, source: source.name, thresholds: r.thresholds, solidAbove: r.solidAbove, convention: r.convention, ...(ctx.auto ? { auto: ctx.auto.record } : {}) },
      runId,
      finishRun: ctx.finishRun,
      signal: ctx.signal,
    });
    return { out: req.out, method: req.method, thresholds: r.thresholds, convention: r.convention, volumes: names, solidFraction: solid / voxels, slices: source.shape[0], ...(ctx.auto ? { auto: ctx.auto.record } : {}) };
  }

  if (!req.model) throw new AppError('invalid_input', 'method "model" needs a model: a shipped model name or the path of an .onnx file');
  const path = resolveModelPath(req.model);
  const model = await loadModel(path, { ep: req.ep ?? 'auto' });
  try {
    if (model.card.kind === 'inpainting') throw new AppError('invalid_input', `"${model.card.name}" is a gap-filling model, not a segmentation model: use it in the reconstruction step`);
    const K = inputStacks(model.card);
    if (K !== sources.length) {
      const wanted = Array.from({ length: K }, (_, c) => describeInputStack(model.card, c)).join(', ');
      throw new AppError(
        'invalid_input',
        K > 1
          ? `"${model.card.name}" reads ${K} volumes (${wanted}), got ${sources.length} (${names.join(', ')}): give one volume per input, in that order (same size; e.g. --volume ${Array.from({ length: K }, (_, c) => (model.card.input.channels?.[c]?.beamKeV !== undefined ? `${model.card.input.channels[c].beamKeV}kV` : `VOLUME${c + 1}`)).join(',')}).`
          : `"${model.card.name}" reads one volume, got ${sources.length} (${names.join(', ')}).`,
      );
    }
    const inputs = K > 1 ? sources.map((v, c) => ({ volume: v.name, input: describeInputStack(model.card, c) })) : undefined;
    const info = { name: model.card.name, path, kind: model.card.kind, ep: model.ep, reason: model.reason };
    const runId = ctx.startRun({ volume: names.join(','), ...(K > 1 ? { volumes: names, inputs } : {}), method: 'model', model: info, tile: req.tile ?? model.card.input.tile, batchSize: req.batchSize ?? 4, rescale: req.rescale !== false, out: req.out });
    // At which in-plane scale the model sees the stack (the card's trained feature size), measured on a few crops of the first stack.
    const trainedChord = model.card.trainedRange?.otsuChordPx;
    const scale = req.rescale !== false && trainedChord && source.dtype !== 'float32' ? await decideStackScale((z) => readSlice(db, source, z), source.shape, trainedChord, { signal: ctx.signal }) : undefined;
    const rescale: RescaleRecord | undefined = scale && { ...scale, sentence: describeInPlaneScale(scale) };
    if (rescale) appendRunLog(db, runId, `In-plane scale: ${rescale.sentence}\nrescale ${JSON.stringify(scale)}`);
    // Is the model out of its depth here (at the scale it will see)? Checked before the run so that the result carries the verdict.
    const ood = ctx.auto?.ood ?? (oodApplies(model.card, source) ? await assessModelOnVolume(db, source, model, { calibration: loadOodCalibration(), tile: req.tile, batchSize: req.batchSize, scale: rescale?.factor, signal: ctx.signal, onProgress: ctx.onProgress }) : undefined);
    if (ood) appendRunLog(db, runId, `${ood.sentence}\nood ${JSON.stringify({ score: ood.score, threshold: ood.threshold, outOfDepth: ood.outOfDepth, components: ood.components, perSlice: { z: ood.perSlice.z, flipDisagreement: ood.perSlice.flipDisagreement, median: ood.perSlice.median, max: ood.perSlice.max } })}`);
    const checked = { ...(ood ? { ood } : {}), ...(ctx.auto ? { auto: ctx.auto.record } : {}), ...(rescale ? { rescale } : {}) };
    const resampled = rescale && rescale.factor !== 1 ? `; ${rescale.sentence}` : '';
    let solid = 0;
    await saveDerivedVolumeStreaming(
      db,
      { shape: source.shape, dtype: 'uint8', voxelSizeNm: source.voxelSizeNm, zPositionsNm: source.zPositionsNm },
      {
        name: req.out,
        kind: 'labels',
        voxelSizeSource,
        metadata: { method: 'model', source: source.name, ...(K > 1 ? { sources: names, inputs } : {}), model: info, convention: `${model.card.name}: solid where the model's probability of solid is at least ${model.card.output.threshold ?? 0.5}${resampled}`, ...checked },
        runId,
        finishRun: ctx.finishRun,
        signal: ctx.signal,
      },
      async (write) => {
        await segmentStackRescaled(
          model,
          source.shape,
          (z) => Promise.all(sources.map((v) => readSlice(db, v, z))),
          async (z, labels) => {
            solid += countSolid(labels);
            await write(z, labels);
          },
          rescale?.factor ?? 1,
          { tile: req.tile, batchSize: req.batchSize, probabilities: false, signal: ctx.signal, onProgress: ctx.onProgress },
        );
      },
    );
    return {
      out: req.out,
      method: 'model',
      convention: `model ${model.card.name} (${model.card.kind}) on ${model.ep.toUpperCase()}: ${model.reason}${resampled}`,
      model: info,
      volumes: names,
      solidFraction: solid / voxels,
      slices: source.shape[0],
      ...checked,
    };
  } finally {
    await model.session.release();
  }
}
