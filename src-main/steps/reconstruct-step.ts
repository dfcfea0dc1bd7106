// The reconstruction step on a stored volume ([Sardhara2023]): repositioning on a fine
// grid and gap filling, or one of the papers' baselines (DNN, SRCS); the result is a
// new volume in the project with its run. Used by the CLI and by job workers.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { DEFAULT_INPAINT_MODEL, type EpChoice, RECONSTRUCT_METHODS, type ReconstructMethod } from '../../src-shared/pipeline-methods';
import type { Volume } from '../../src-shared/volume';
import { distinctValues } from '../geometry/binary-labels';
import { type BinaryInterpolant, directNearestNeighbour, type Reconstruction, repositionAndFill, repositionAndFillMl, standardRepositionCubic } from '../geometry/reposition';
import { loadModel } from '../inference/load-model';
import { resolveModelPath } from '../segment/model-files';
import { appendRunLog } from '../project/runs';
import { loadVolume, saveDerivedVolume } from '../project/save-volume';
import { getVolume, volumeNameExists } from '../project/volume-store';

export { RECONSTRUCT_METHODS, type ReconstructMethod };

export interface ReconstructRequest {
  volume: string;
  method: ReconstructMethod;
  /** Fine grid spacing, nm; default the in-plane pixel size. */
  gridNm?: number;
  /** DNN / SRCS target slice spacing, nm; default the volume's nominal z. */
  targetNm?: number;
  /**
   * Treat as binary labels; default: detected (a 'labels' volume with two values, or uint8 with only 0 and 1).
   * Binary input is mapped to 0/1 on the way in (geometry/binary-labels.ts: of two values the higher is solid).
   */
  binary?: boolean;
  binaryInterpolant?: BinaryInterpolant;
  /** Method 'ml': inpainting model name or path (default DEFAULT_INPAINT_MODEL), execution provider, tile edge (px), tiles per run. */
  model?: string;
  ep?: EpChoice;
  tile?: number;
  batchSize?: number;
  out: string;
}

export interface ReconstructReport {
  out: string;
  method: ReconstructMethod;
  planes: number;
  gridSpacingNm: number;
  sourceSlices: number;
  moved: number;
  lostSlices: number[];
  maxShiftNm: number;
  meanShiftNm: number;
  binary: boolean;
  binaryInterpolant?: BinaryInterpolant;
  /** Binary: which input values were read as pore and solid, and the rule (also in the run log). */
  labels?: string;
  holeVoxelsFilled: number;
  targetNm: number;
  /** Method 'ml': the model, where it ran and why, and how often its zx and zy passes disagreed. */
  model?: { name: string; path: string; ep: 'cuda' | 'cpu'; reason: string; passDisagreementPercent: number };
}

export async function reconstructStoredVolume(
  db: Database,
  req: ReconstructRequest,
  ctx: { signal?: AbortSignal; onProgress?: ProgressCallback; startRun: (params: Record<string, unknown>) => number; finishRun?: () => void },
): Promise<ReconstructReport> {
  if (!(RECONSTRUCT_METHODS as readonly string[]).includes(req.method)) {
    throw new AppError('invalid_input', `reconstruction method must be one of ${RECONSTRUCT_METHODS.join(', ')}, got ${JSON.stringify(req.method)}`);
  }
  if (volumeNameExists(db, req.out)) throw new AppError('invalid_input', `The project already has a volume named "${req.out}": choose another output name.`);
  const source = getVolume(db, req.volume);
  const targetNm = req.targetNm ?? source.voxelSizeNm.z;
  const ml = req.method === 'ml';
  const modelPath = ml ? resolveModelPath(req.model ?? DEFAULT_INPAINT_MODEL) : undefined;
  const runId = ctx.startRun({
    volume: source.name,
    method: req.method,
    gridNm: req.gridNm ?? 'pixel size',
    targetNm,
    binary: req.binary ?? 'detect',
    ...(ml
      ? { model: req.model ?? DEFAULT_INPAINT_MODEL, modelPath, ep: req.ep ?? 'auto', tile: req.tile ?? 'card', batchSize: req.batchSize ?? 4 }
      : { binaryInterpolant: req.method === 'srcs' ? 'labels' : (req.binaryInterpolant ?? 'distance') }),
    out: req.out,
  });
  const volume: Volume = await loadVolume(db, source.name, ctx.signal);
  // A label volume with two values is binary whatever the values (0/255 from Fiji, 1/2 from Avizo); it is mapped to 0/1 in the fill.
  const binary = req.binary ?? (source.kind === 'labels' && !distinctValues(volume.slices).more ? true : undefined);
  const opts = {
    fineSpacingNm: req.gridNm,
    binary,
    name: `"${source.name}"`,
    binaryInterpolant: req.method === 'srcs' ? undefined : req.binaryInterpolant,
    signal: ctx.signal,
    onProgress: ctx.onProgress,
  };
  let modelInfo: ReconstructReport['model'];
  let r: Reconstruction;
  if (modelPath) {
    if (req.binary === false) throw new AppError('invalid_input', 'ML gap filling works on binary label volumes only: choose linear or cubic for grey data.');
    const model = await loadModel(modelPath, { ep: req.ep ?? 'auto' });
    try {
      const m = await repositionAndFillMl(volume, { ...opts, model, tile: req.tile, batchSize: req.batchSize });
      modelInfo = { name: model.card.name, path: modelPath, ep: model.ep, reason: model.reason, passDisagreementPercent: (100 * m.passDisagreement) / Math.max(1, m.gapVoxels) };
      r = m;
    } finally {
      await model.session.release();
    }
  } else {
    r =
      req.method === 'dnn'
        ? directNearestNeighbour(volume, targetNm, opts)
        : req.method === 'srcs'
          ? standardRepositionCubic(volume, targetNm, opts)
          : repositionAndFill(volume, req.method as 'nearest' | 'linear' | 'cubic', opts);
  }
  const report: ReconstructReport = {
    out: req.out,
    method: req.method,
    planes: r.volume.shape[0],
    gridSpacingNm: r.placement.gridSpacingNm,
    sourceSlices: source.shape[0],
    moved: r.placement.moved,
    lostSlices: r.lostSlices ?? [],
    maxShiftNm: r.placement.maxShiftNm,
    meanShiftNm: r.placement.meanShiftNm,
    binary: r.binary,
    binaryInterpolant: r.binaryInterpolant,
    ...(r.labels ? { labels: r.labels.note } : {}),
    holeVoxelsFilled: r.holeVoxelsFilled,
    targetNm,
    ...(modelInfo ? { model: modelInfo } : {}),
  };
  if (r.labels) appendRunLog(db, runId, `Labels: ${r.labels.note}`);
  await saveDerivedVolume(db, r.volume, {
    name: req.out,
    kind: r.binary ? 'labels' : source.kind,
    voxelSizeSource: { x: source.voxelSizeSource.x, y: source.voxelSizeSource.y, z: `reconstruction grid (${req.method}) from "${source.name}"` },
    // measuredPlanes: the planes that hold a measured slice (the others were filled), for previews that mark the gaps.
    metadata: { ...report, source: source.name, binaryInterpolant: r.binaryInterpolant ?? null, measuredPlanes: [...r.known].flatMap((k, z) => (k ? [z] : [])) },
    runId,
    finishRun: ctx.finishRun,
    signal: ctx.signal,
  });
  return report;
}

/** One line for the user: what was written and what moved. */
export function describeReconstruction(r: ReconstructReport): string {
  return (
    `Wrote "${r.out}": ${r.planes} planes of ${r.gridSpacingNm} nm from ${r.sourceSlices} slices (${r.method}); ` +
    `${r.moved} slice(s) moved to a free grid position (largest shift ${r.maxShiftNm.toFixed(2)} nm, mean ${r.meanShiftNm.toFixed(2)} nm)` +
    (r.method === 'srcs' ? `; ${r.lostSlices.length} slice(s) lost to a later slice on the same ${r.targetNm} nm cell` : '') +
    (r.model ? `; gaps inpainted by ${r.model.name} on ${r.model.ep.toUpperCase()} (${r.model.reason}); zx and zy passes disagreed on ${r.model.passDisagreementPercent.toFixed(2)} % of gap voxels` : '') +
    (r.binaryInterpolant ? `; binary data interpolated through ${r.binaryInterpolant === 'distance' ? 'the signed distance to the boundary' : 'the 0/1 labels'}` : '') +
    (r.binary ? `; ${r.holeVoxelsFilled} hole voxel(s) filled` : '') +
    (r.labels ? `; labels: ${r.labels.replace(/\.$/, '')}` : '') +
    '.'
  );
}
