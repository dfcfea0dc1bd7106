// The segmentation step on a stored volume: a classical method (global histogram,
// the whole stack in memory) or an ONNX model (slice by slice through the inference
// engine, memory bounded by the model's window); the result is a new label volume
// (uint8, 1 = solid, 0 = pore) in the project, written all or nothing, with the run.
// Storage is passed in (db), as everywhere in src-main/project.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { segmentStack } from '../inference/segment-stack';
import { loadModel } from '../inference/load-model';
import type { EpChoice } from '../inference/session';
import { loadVolume, saveDerivedVolume, saveDerivedVolumeStreaming } from '../project/save-volume';
import { getVolume, readSlice, volumeNameExists } from '../project/volume-store';
import { hybridSegment, kmeansSegment, multiOtsuSegment, otsuSegment, type ClassicalResult } from './classical';
import { resolveModelPath } from './model-files';

import { SEGMENTATION_METHODS, type SegmentationMethod } from '../../src-shared/pipeline-methods';

export { SEGMENTATION_METHODS, type SegmentationMethod };

export interface SegmentRequest {
  /** Name of the grey volume in the project. */
  volume: string;
  method: SegmentationMethod;
  /** method 'model': a shipped model's name or an .onnx path (card beside it). */
  model?: string;
  ep?: EpChoice;
  tile?: number;
  batchSize?: number;
  /** Name of the new label volume. */
  out: string;
}

export interface SegmentReport {
  out: string;
  method: SegmentationMethod;
  /** Classical methods: grey thresholds (ascending) and what is solid. */
  thresholds?: number[];
  convention: string;
  /** Model runs: the model's card name, the execution provider and why. */
  model?: { name: string; path: string; kind: string; ep: 'cuda' | 'cpu'; reason: string };
  solidFraction: number;
  slices: number;
}

export interface SegmentContext {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Records the run once the inputs are valid (and the model open); returns its id. */
  startRun: (params: Record<string, unknown>) => number;
}

function classical(method: Exclude<SegmentationMethod, 'model'>) {
  return { otsu: otsuSegment, 'multi-otsu': multiOtsuSegment, kmeans: kmeansSegment, hybrid: hybridSegment }[method];
}

function countSolid(labels: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) n += labels[i];
  return n;
}

export async function segmentStoredVolume(db: Database, req: SegmentRequest, ctx: SegmentContext): Promise<SegmentReport> {
  if (!(SEGMENTATION_METHODS as readonly string[]).includes(req.method)) {
    throw new AppError('invalid_input', `segmentation method must be one of ${SEGMENTATION_METHODS.join(', ')}, got ${JSON.stringify(req.method)}`);
  }
  if (volumeNameExists(db, req.out)) throw new AppError('invalid_input', `The project already has a volume named "${req.out}": choose another output name.`);
  const source = getVolume(db, req.volume);
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
      metadata: { method: req.method, source: source.name, thresholds: r.thresholds, solidAbove: r.solidAbove, convention: r.convention },
      runId,
      signal: ctx.signal,
    });
    return { out: req.out, method: req.method, thresholds: r.thresholds, convention: r.convention, solidFraction: solid / voxels, slices: source.shape[0] };
  }

  if (!req.model) throw new AppError('invalid_input', 'method "model" needs a model: a shipped model name or the path of an .onnx file');
  const path = resolveModelPath(req.model);
  const model = await loadModel(path, { ep: req.ep ?? 'auto' });
  try {
    if (model.card.kind === 'inpainting') throw new AppError('invalid_input', `"${model.card.name}" is a gap-filling model, not a segmentation model: use it in the reconstruction step`);
    const info = { name: model.card.name, path, kind: model.card.kind, ep: model.ep, reason: model.reason };
    const runId = ctx.startRun({ volume: source.name, method: 'model', model: info, tile: req.tile ?? model.card.input.tile, batchSize: req.batchSize ?? 4, out: req.out });
    let solid = 0;
    await saveDerivedVolumeStreaming(
      db,
      { shape: source.shape, dtype: 'uint8', voxelSizeNm: source.voxelSizeNm, zPositionsNm: source.zPositionsNm },
      {
        name: req.out,
        kind: 'labels',
        voxelSizeSource,
        metadata: { method: 'model', source: source.name, model: info, convention: `${model.card.name}: solid where the model's probability of solid is at least ${model.card.output.threshold ?? 0.5}` },
        runId,
        signal: ctx.signal,
      },
      async (write) => {
        await segmentStack(
          model,
          source.shape,
          (z) => readSlice(db, source, z),
          async (z, labels) => {
            solid += countSolid(labels);
            await write(z, labels);
          },
          { tile: req.tile, batchSize: req.batchSize, probabilities: false, signal: ctx.signal, onProgress: ctx.onProgress },
        );
      },
    );
    return {
      out: req.out,
      method: 'model',
      convention: `model ${model.card.name} (${model.card.kind}) on ${model.ep.toUpperCase()}: ${model.reason}`,
      model: info,
      solidFraction: solid / voxels,
      slices: source.shape[0],
    };
  } finally {
    await model.session.release();
  }
}
