// Segmentation of one slice before the run over the stack (the Segmentation
// step's "Preview on slice z"), by the same code as the run: a classical method
// takes its thresholds from the whole stack's histogram and labels slice z only;
// a model runs on the slices its window reads around z (2D / 2.5D: z - w .. z + w,
// which the reflection at the stack's ends treats as the full run does; 3D: the
// whole stack, since its patches are placed from the stack's first slice). A model run
// at another in-plane scale (src-main/segment/scale) is previewed at that scale too.
// Reads only: nothing is written to the project.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';
import type { SegmentationMethod } from '../../src-shared/pipeline-methods';
import { describeInputStack, inputStacks } from '../inference/model-card';
import { loadModel } from '../inference/load-model';
import type { EpChoice } from '../inference/session';
import { loadVolume } from '../project/save-volume';
import { getVolume, readSlice } from '../project/volume-store';
import { resolveModelPath } from './model-files';
import { previewClassifier, type ClassifierEstimate } from './segment-classifier';
import { classical, segmentInputNames } from './segment-volume';
import { decideAutoMethod } from './auto-segment';
import { describeInPlaneScale } from './scale/in-plane-scale';
import { segmentStackRescaled } from './scale/rescaled-run';
import { decideStackScale } from './scale/stack-scale';
import type { RescaleRecord } from './segment-volume';

export interface SegmentPreviewRequest {
  /** As SegmentRequest.volume: one name, or several separated by commas for a multi-stack model. */
  volume: string;
  z: number;
  method: SegmentationMethod;
  model?: string;
  ep?: EpChoice;
  tile?: number;
  batchSize?: number;
  /** Model: resample in-plane to the card's trained feature size where the run would (default true). */
  rescale?: boolean;
}

export interface SegmentPreviewResult {
  volumes: string[];
  z: number;
  width: number;
  height: number;
  /** ny * nx labels of slice z: 1 = solid, 0 = pore. */
  labels: Uint8Array;
  solidFraction: number;
  method: SegmentationMethod;
  /** Classical: grey thresholds, ascending, computed from the histogram of the whole stack (as the run does). */
  thresholds?: number[];
  solidAbove?: number;
  convention: string;
  model?: { name: string; kind: string; ep: 'cuda' | 'cpu'; reason: string };
  /** Pixel classifier: how unsure it is per pixel (0 = certain, 255 = a coin flip). */
  uncertainty?: Uint8Array;
  /** Pixel classifier: the accuracy estimate from the annotations and what it learnt from. */
  classifier?: { estimate: ClassifierEstimate | null; annotationVersion: number; painted: number };
  /** Model with a trained chord on its card: the in-plane scale decision, as the run makes it. */
  rescale?: RescaleRecord;
  /** Slices read: first and last z. */
  slicesRead: [number, number];
  seconds: number;
  /** Method auto: the method it chose (which previewed the slice), on what basis, and why. */
  auto?: { method: string; model?: string; basis: string; reason: string };
}

export async function previewStoredSegmentation(db: Database, req: SegmentPreviewRequest, signal?: AbortSignal): Promise<SegmentPreviewResult> {
  const t0 = performance.now();
  const names = segmentInputNames(db, req);
  if (names.length > 1 && req.method !== 'model' && req.method !== 'pixel-classifier') {
    throw new AppError('invalid_input', `Several volumes (${names.join(', ')}) are only for a model that reads several stacks; "${req.method}" segments one volume.`);
  }
  const sources = names.map((n) => getVolume(db, n));
  const source = sources[0];
  const [nz, ny, nx] = source.shape;
  if (!Number.isInteger(req.z) || req.z < 0 || req.z >= nz) throw new AppError('invalid_input', `"${source.name}" has ${nz} slices: choose z from 0 to ${nz - 1}, not ${req.z}.`);
  for (const other of sources.slice(1)) {
    if (other.shape.some((n, i) => n !== source.shape[i])) {
      throw new AppError('size_mismatch', `The volumes "${source.name}" (${source.shape.join(' x ')}) and "${other.name}" (${other.shape.join(' x ')}) differ in size: register or crop them to one size first.`);
    }
  }
  const base = { volumes: names, z: req.z, width: nx, height: ny, method: req.method };

  if (req.method === 'auto') {
    // What auto would run: the evidence of the whole stack decides, the chosen method previews slice z.
    const d = await decideAutoMethod(db, source, { model: req.model, ep: req.ep, tile: req.tile, batchSize: req.batchSize, rescale: req.rescale, signal });
    const p = await previewStoredSegmentation(db, { ...req, method: d.choice.method, model: d.choice.method === 'model' ? d.choice.model : undefined }, signal);
    return {
      ...p,
      convention: `auto chose ${d.choice.method === 'model' ? `model ${d.choice.model}` : d.choice.method}: ${d.choice.reason} ${p.convention}`,
      auto: { method: d.choice.method, ...(d.choice.model ? { model: d.choice.model } : {}), basis: d.choice.basis, reason: d.choice.reason },
      seconds: (performance.now() - t0) / 1000,
    };
  }

  if (req.method === 'pixel-classifier') {
    if (req.model) throw new AppError('invalid_input', 'a model is only used with method "model", not "pixel-classifier"');
    const p = await previewClassifier(db, names, req.z, signal);
    const z0 = Math.max(0, req.z - 2);
    return {
      ...base,
      labels: p.labels,
      uncertainty: p.uncertainty,
      classifier: { estimate: p.estimate, annotationVersion: p.annotationVersion, painted: p.painted },
      solidFraction: solidFraction(p.labels),
      convention: p.convention,
      slicesRead: [z0, Math.min(nz - 1, req.z + 2)],
      seconds: (performance.now() - t0) / 1000,
    };
  }

  if (req.method !== 'model') {
    if (req.model) throw new AppError('invalid_input', `a model is only used with method "model", not "${req.method}"`);
    const volume = await loadVolume(db, source.name, signal);
    const r = classical(req.method)(volume, { signal, onlySlice: req.z });
    const labels = r.labels.slices[req.z] as Uint8Array;
    return { ...base, labels, solidFraction: solidFraction(labels), thresholds: r.thresholds, solidAbove: r.solidAbove, convention: r.convention, slicesRead: [0, nz - 1], seconds: (performance.now() - t0) / 1000 };
  }

  if (!req.model) throw new AppError('invalid_input', 'method "model" needs a model: a shipped model name or the path of an .onnx file');
  const model = await loadModel(resolveModelPath(req.model), { ep: req.ep ?? 'auto' });
  try {
    if (model.card.kind === 'inpainting') throw new AppError('invalid_input', `"${model.card.name}" is a gap-filling model, not a segmentation model: use it in the reconstruction step`);
    const K = inputStacks(model.card);
    if (K !== sources.length) {
      const wanted = Array.from({ length: K }, (_, c) => describeInputStack(model.card, c)).join(', ');
      throw new AppError('invalid_input', `"${model.card.name}" reads ${K} volume(s) (${wanted}), got ${sources.length} (${names.join(', ')}): give one volume per input, in that order.`);
    }
    const w = model.card.kind === 'segmentation-3d' ? nz : Math.floor(model.card.input.slices / 2);
    const z0 = Math.max(0, req.z - w);
    const z1 = Math.min(nz - 1, req.z + w);
    const trainedChord = model.card.trainedRange?.otsuChordPx;
    const scale = req.rescale !== false && trainedChord && source.dtype !== 'float32' ? await decideStackScale((k) => readSlice(db, source, k), source.shape, trainedChord, { signal }) : undefined;
    const rescale: RescaleRecord | undefined = scale && { ...scale, sentence: describeInPlaneScale(scale) };
    let labels: Uint8Array | undefined;
    await segmentStackRescaled(
      model,
      [z1 - z0 + 1, ny, nx],
      (k) => Promise.all(sources.map((v) => readSlice(db, v, z0 + k))),
      (k, out) => {
        if (z0 + k === req.z) labels = out;
      },
      rescale?.factor ?? 1,
      { tile: req.tile, batchSize: req.batchSize, probabilities: false, signal },
    );
    if (!labels) throw new AppError('internal', `The model wrote no slice ${req.z}.`);
    return {
      ...base,
      labels,
      solidFraction: solidFraction(labels),
      convention: `model ${model.card.name} (${model.card.kind}) on ${model.ep.toUpperCase()}: solid where the probability of solid is at least ${model.card.output.threshold ?? 0.5}${rescale && rescale.factor !== 1 ? `; ${rescale.sentence}` : ''}`,
      model: { name: model.card.name, kind: model.card.kind, ep: model.ep, reason: model.reason },
      ...(rescale ? { rescale } : {}),
      slicesRead: [z0, z1],
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await model.session.release();
  }
}

function solidFraction(labels: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) n += labels[i];
  return labels.length ? n / labels.length : 0;
}
