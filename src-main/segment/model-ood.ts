// The out-of-distribution check of a model on a stored grey volume: one pass over the
// slices for the histogram (Otsu, k-means), then the flip check on a few blocks
// (src-main/segment/ood). Done before the model's run over the stack, so that the
// result's metadata and the run record carry the verdict. When the run resamples the
// stack in-plane (src-main/segment/scale), the blocks are checked as the model will
// see them: resampled by the same factor (the grey histogram stays the stack's own).
import type { Database } from 'better-sqlite3';
import { throwIfAborted } from '../../src-shared/errors';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import type { ModelCard } from '../inference/model-card';
import { inputStacks } from '../inference/model-card';
import type { InferenceSession } from 'onnxruntime-node';
import { readSlice, type StoredVolume } from '../project/volume-store';
import type { GreyHistogram } from './classical';
import { blockSegmenter } from './model-block-runner';
import { assessOutOfDistribution, type OodReport } from './ood/assess';
import { StreamingHistogram } from './ood/grey-evidence';
import { sampleCrops } from './ood/flip-consistency';
import { chooseClassical } from './auto-method';
import { classicalEvidence } from './classical-evidence';
import type { OodCalibration } from './ood/ood-score';
import { scaledSize } from './scale/in-plane-scale';
import { resampleSlice } from './scale/resample';

export interface ModelOodOptions {
  calibration?: OodCalibration;
  tile?: number;
  batchSize?: number;
  /** The stack's histogram when the caller has it already. */
  histogram?: GreyHistogram;
  alternative?: string;
  /** The in-plane factor the run will resample the stack by (default 1: as it is). */
  scale?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Whether the check applies: a segmentation model that reads one 8- or 16-bit stack. */
export function oodApplies(card: ModelCard, volume: Pick<StoredVolume, 'dtype'>): boolean {
  return card.kind !== 'inpainting' && inputStacks(card) === 1 && volume.dtype !== 'float32';
}

/** The stack's integer histogram, read slice by slice. */
export async function storedHistogram(db: Database, volume: StoredVolume, signal?: AbortSignal, onProgress?: ProgressCallback): Promise<GreyHistogram> {
  const h = new StreamingHistogram();
  const report = progressTracker(onProgress);
  for (let z = 0; z < volume.shape[0]; z++) {
    throwIfAborted(signal);
    h.add(await readSlice(db, volume, z));
    report((z + 1) / volume.shape[0], `Grey histogram: slice ${z + 1} of ${volume.shape[0]}`);
  }
  return h.finish();
}

/** What the warning suggests instead: Otsu or k-means, as method auto would pick between them. */
async function classicalPick(db: Database, volume: StoredVolume, histogram: GreyHistogram, signal?: AbortSignal): Promise<string> {
  const { rows, columns, blocks } = await sampleCrops((z) => readSlice(db, volume, z), volume.shape, { signal });
  const pick = chooseClassical(classicalEvidence(blocks.flatMap((b) => b.slices), rows, columns, histogram)).method;
  return pick === 'otsu' ? 'Otsu' : 'k-means';
}

export async function assessModelOnVolume(
  db: Database,
  volume: StoredVolume,
  model: { session: InferenceSession; card: ModelCard },
  opts: ModelOodOptions = {},
): Promise<OodReport> {
  const histogram = opts.histogram ?? (await storedHistogram(db, volume, opts.signal, opts.onProgress));
  const alternative = opts.alternative ?? (await classicalPick(db, volume, histogram, opts.signal));
  opts.onProgress?.({ fraction: 0, message: `Checking ${model.card.name} on this stack: a few blocks segmented as they are, flipped and rotated` });
  const [nz, ny, nx] = volume.shape;
  const s = opts.scale ?? 1;
  const [my, mx] = scaledSize(ny, nx, s);
  const same = my === ny && mx === nx;
  const v = volume.voxelSizeNm;
  return assessOutOfDistribution({
    model: { name: model.card.name, slices: model.card.input.slices, trainedRange: model.card.trainedRange },
    shape: same ? volume.shape : [nz, my, mx],
    voxelSizeNm: same ? v : { x: (v.x * nx) / mx, y: (v.y * ny) / my, z: v.z },
    getSlice: same ? (z) => readSlice(db, volume, z) : async (z) => resampleSlice(await readSlice(db, volume, z), ny, nx, my, mx),
    histogram,
    segmentBlock: blockSegmenter(model, { tile: opts.tile, batchSize: opts.batchSize, signal: opts.signal }),
    calibration: opts.calibration,
    alternative,
    signal: opts.signal,
  });
}
