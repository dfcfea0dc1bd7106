// ML inpainting of the gap planes of a repositioned binary volume (RML; [Sardhara2023] suppl.,
// [Sardhara2023]): an inpainting model (models/inpaint-*.onnx, kind 'inpainting') reads
// every zx plane and every zy plane of the volume (inpaint-input.ts: the splined
// signed distance, the measured-row mask, the rows to the nearest measured row) and
// returns the logit of solid. The two passes are combined by averaging their logits
// per voxel; solid where the mean logit > logit(card threshold) (0 for 0.5). Only gap
// planes are written: measured planes pass through bit-exact.
//
// Memory: the float32 distances of the measured planes (as the cubic 'distance' fill),
// one block of splined distances (~64 MB) and the model's tiles. Between the passes the
// zx logit is kept in the output's own gap voxels as a byte (logit x 16 + 128, clamped:
// steps of 1/16 over [-8, 8)), so no float volume is held; this can only change voxels
// whose mean logit is within 1/32 of the threshold.
import type { InferenceSession } from 'onnxruntime-node';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import type { ModelCard } from '../inference/model-card';
import { runPlanes } from '../inference/plane-runner';
import { distanceColumns, distanceRows, measuredDistancePlanes } from './distance-field';
import { DEFAULT_MAX_HOLE_AREA_PX, fillSmallHolesXzYz } from './fill-holes';
import { binaryRepositioned } from './binary-labels';
import type { GapFillResult } from './gap-fill';
import { INPAINT_CHANNELS, rowsToKnown, writePlaneInput, type InpaintScales } from './inpaint-input';
import type { RepositionedVolume } from './reposition-volume';

export interface MlFillOptions {
  model: { session: InferenceSession; card: ModelCard };
  /** Tiles per model run (default 4). */
  batchSize?: number;
  /** Override the card's tile edge (px) and overlap. */
  tile?: number;
  overlap?: number;
  /** Fill enclosed holes < maxHoleAreaPx in xz and yz planes afterwards (default false). */
  fillHoles?: boolean;
  maxHoleAreaPx?: number;
  /** Write into the repositioned volume's own arrays. */
  inPlace?: boolean;
  /** Names the volume in messages and in the labels note (default "the volume"). */
  name?: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface MlFillResult extends GapFillResult {
  /** Voxels of the gaps the two passes disagreed on (signs of their logits differ). */
  passDisagreement: number;
  gapVoxels: number;
}

/** Splined-distance values per block: about 16 M floats (64 MB). */
const BLOCK_FLOATS = 16_000_000;

const encode = (l: number): number => Math.max(0, Math.min(255, Math.round(l * 16) + 128));
const decode = (q: number): number => (q - 128) / 16;

function checkModel(card: ModelCard): InpaintScales {
  if (card.kind !== 'inpainting' || !card.input.inpainting) {
    throw new AppError('invalid_input', `${card.name} is a ${card.kind} model, not an inpainting model: choose an inpainting model (e.g. models/inpaint-small) for ML gap filling.`);
  }
  return card.input.inpainting;
}

export async function fillGapsMl(rep: RepositionedVolume, opts: MlFillOptions): Promise<MlFillResult> {
  const scales = checkModel(opts.model.card);
  if (rep.known.reduce((a, b) => a + b, 0) < 2) throw new AppError('invalid_input', 'ML gap filling needs at least two measured planes to interpolate between.');
  // Labels are labels: a two-valued mask (0/255, 1/2) is read as 0/1 first; more values are refused.
  const mapped = binaryRepositioned(rep, opts.name, 'ML gap filling works on binary labels: segment the stack first, then reconstruct the label volume (or choose linear or cubic for grey data).');
  const { volume, known } = mapped.rep;
  const [nz, ny, nx] = volume.shape;
  const card = opts.model.card;
  const run = { tile: opts.tile ?? card.input.tile, overlap: opts.overlap ?? card.input.overlap ?? Math.round(card.input.tile / 8), batchSize: opts.batchSize ?? 4, signal: opts.signal };
  if (!(Number.isInteger(run.tile) && run.tile >= 8)) throw new AppError('invalid_input', `Tile size must be an integer of 8 px or more, got ${run.tile}.`);
  if (!(Number.isInteger(run.overlap) && run.overlap >= 0 && run.overlap < run.tile)) throw new AppError('invalid_input', `Tile overlap must be 0 to ${run.tile - 1} px, got ${run.overlap}.`);
  if (!(Number.isInteger(run.batchSize) && run.batchSize >= 1)) throw new AppError('invalid_input', `Batch size must be a positive integer, got ${run.batchSize}.`);
  const t = card.output.threshold;
  const threshold = Math.log(t / (1 - t));
  const holes = opts.fillHoles ?? false;
  const share = holes ? 0.9 : 1;
  const progress = progressTracker(opts.onProgress);
  const slices = (opts.inPlace ? volume.slices.slice() : volume.slices.map((s) => s.slice())) as Uint8Array[];
  const gaps: number[] = [];
  known.forEach((k, z) => k || gaps.push(z));

  progress(0, 'signed distance of the measured slices');
  const dist = measuredDistancePlanes(volume, known, opts.signal);
  const gapRows = rowsToKnown(known);
  const input = (planes: Float32Array[], offset: number, stride: number, width: number): Float32Array => {
    const x = new Float32Array(INPAINT_CHANNELS * nz * width);
    writePlaneInput(x, 0, planes, known, gapRows, { offset, stride, width }, scales);
    return x;
  };

  // zx pass: blocks of rows y; each block's zx planes in one runPlanes call.
  const by = Math.max(1, Math.min(ny, Math.floor(BLOCK_FLOATS / (nz * nx))));
  for (let y0 = 0; y0 < ny; y0 += by) {
    throwIfAborted(opts.signal);
    const y1 = Math.min(ny, y0 + by);
    const d = distanceRows(dist, known, nx, y0, y1, opts.signal);
    const planes = Array.from({ length: y1 - y0 }, (_, i) => input(d, i * nx, 1, nx));
    const logits = await runPlanes(opts.model.session, planes, INPAINT_CHANNELS, nz, nx, run);
    logits.forEach((l, i) => {
      const row = (y0 + i) * nx;
      for (const z of gaps) {
        const s = slices[z];
        for (let x = 0; x < nx; x++) s[row + x] = encode(l[z * nx + x] - threshold);
      }
    });
    progress((share * 0.5 * y1) / ny, `ML inpainting, zx planes: ${y1} of ${ny}`);
  }

  // zy pass: blocks of columns x; mean of the two logits, thresholded.
  let disagree = 0;
  const bx = Math.max(1, Math.min(nx, Math.floor(BLOCK_FLOATS / (nz * ny))));
  for (let x0 = 0; x0 < nx; x0 += bx) {
    throwIfAborted(opts.signal);
    const x1 = Math.min(nx, x0 + bx);
    const d = distanceColumns(dist, known, ny, nx, x0, x1, opts.signal);
    const planes = Array.from({ length: x1 - x0 }, (_, i) => input(d, i, x1 - x0, ny));
    const logits = await runPlanes(opts.model.session, planes, INPAINT_CHANNELS, nz, ny, run);
    logits.forEach((l, i) => {
      const x = x0 + i;
      for (const z of gaps) {
        const s = slices[z];
        for (let y = 0; y < ny; y++) {
          const a = decode(s[y * nx + x]);
          const b = l[z * ny + y] - threshold;
          if (a > 0 !== b > 0) disagree++;
          s[y * nx + x] = a + b > 0 ? 1 : 0;
        }
      }
    });
    progress(share * (0.5 + (0.5 * x1) / nx), `ML inpainting, zy planes: ${x1} of ${nx}`);
  }

  let holeVoxelsFilled = 0;
  if (holes) {
    holeVoxelsFilled = fillSmallHolesXzYz(slices, ny, nx, known, {
      maxAreaPx: opts.maxHoleAreaPx ?? DEFAULT_MAX_HOLE_AREA_PX,
      signal: opts.signal,
      onProgress: (p) => progress(share + (1 - share) * p.fraction, p.message),
    });
  }
  progress(1, 'gaps filled (ML)');
  return { volume: { ...volume, slices }, known, binary: true, holeVoxelsFilled, labels: mapped.mapping, passDisagreement: disagree, gapVoxels: gaps.length * ny * nx };
}
