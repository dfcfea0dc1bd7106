// Self-agreement of a model under test-time flips and rotation: blocks of the stack
// are segmented as they are, mirrored in x, mirrored in y and turned by 90 degrees;
// the labels are turned back and compared pixel by pixel. A model inside what it was
// trained on barely changes its mind (under 1.2 % of the pixels on the app's own
// held-out stacks, all on boundaries); one that guesses changes it on many more
// (docs/benchmarks.md, out-of-distribution calibration). A few blocks of a few slices,
// each cropped to one model tile (128 px, what the calibration stacks were) at points
// spread along the slice's diagonal, bound the cost: 4 model runs of the blocks, not of
// the stack.
// Pure: the model run is a callback, slices are read through getSlice.
import type { SliceArray } from '../../../src-shared/dtype';
import { throwIfAborted } from '../../../src-shared/errors';
import type { Shape3 } from '../../../src-shared/volume';
import { TTA_TRANSFORMS, transformSlice, transformedSize, untransformSlice } from './slice-transforms';

/** A sub-stack the model segments: slices of rows x columns (z, y, x). */
export interface GreyBlock {
  shape: Shape3;
  slices: SliceArray[];
}

/** The model's answer for a block: labels (1 = solid) and, where asked for, the probability of solid, per slice. */
export interface BlockResult {
  labels: Uint8Array[];
  prob?: Float32Array[];
}

/** Segments a block; `withProbabilities`: also return the probabilities. */
export type SegmentBlock = (block: GreyBlock, withProbabilities: boolean) => Promise<BlockResult>;

/** Slice z of the grey stack (read on demand: only the blocks' slices are read). */
export type GetGreySlice = (z: number) => SliceArray | Promise<SliceArray>;

export interface Crop {
  y: number;
  x: number;
  rows: number;
  columns: number;
}

export interface FlipCheckOptions {
  /** Slices per block (at least the model's window; default 8). */
  blockSlices?: number;
  /** Most blocks, spread over the depth (default 3). */
  blocks?: number;
  /** Largest crop edge in pixels (default 128). */
  maxSide?: number;
  signal?: AbortSignal;
}

/** One checked slice (crop). */
export interface CheckedSlice {
  z: number;
  grey: SliceArray;
  /** The model's labels and probabilities on the crop as it is. */
  labels: Uint8Array;
  prob?: Float32Array;
  /** Share of the crop's pixels where the four runs do not all agree. */
  disagreement: number;
}

export interface FlipCheck {
  /** The crop of each block (all the same size). */
  crops: Crop[];
  slices: CheckedSlice[];
  /** Share over all checked pixels. */
  meanDisagreement: number;
  /** Model runs of a block (4 per block). */
  modelRuns: number;
}

/** The crop of block b of n: at most maxSide pixels on each edge, at (b + 1/2) / n along the slice's diagonal (n = 1: centred). */
export function blockCrop(ny: number, nx: number, b: number, n: number, maxSide = 128): Crop {
  const side = Math.max(8, maxSide);
  const rows = Math.min(ny, side);
  const columns = Math.min(nx, side);
  const f = (b + 0.5) / n;
  return { y: Math.floor((ny - rows) * f), x: Math.floor((nx - columns) * f), rows, columns };
}

/** Start slices of `count` blocks of `depth` slices spread evenly over nz (they may touch, never overlap). */
export function blockStarts(nz: number, depth: number, count: number): number[] {
  const d = Math.min(depth, nz);
  const n = Math.max(1, Math.min(count, Math.floor(nz / d)));
  return Array.from({ length: n }, (_, b) => Math.floor(((nz - n * d) * (b + 0.5)) / n) + b * d);
}

function cropSlice(s: SliceArray, nx: number, c: Crop): SliceArray {
  const out = new (s.constructor as new (n: number) => SliceArray)(c.rows * c.columns);
  for (let y = 0; y < c.rows; y++) out.set(s.subarray((c.y + y) * nx + c.x, (c.y + y) * nx + c.x + c.columns) as never, y * c.columns);
  return out;
}

/** The crops the checks look at: `blocks` blocks of `depth` slices, each slice cropped to its block's crop. */
export async function sampleCrops(
  getSlice: GetGreySlice,
  shape: Shape3,
  opts: Pick<FlipCheckOptions, 'blockSlices' | 'blocks' | 'maxSide' | 'signal'> = {},
): Promise<{ rows: number; columns: number; blocks: { z0: number; crop: Crop; slices: SliceArray[] }[] }> {
  const [nz, ny, nx] = shape;
  const depth = Math.min(nz, Math.max(1, opts.blockSlices ?? 8));
  const starts = blockStarts(nz, depth, opts.blocks ?? 3);
  const blocks: { z0: number; crop: Crop; slices: SliceArray[] }[] = [];
  for (const [b, z0] of starts.entries()) {
    throwIfAborted(opts.signal);
    const crop = blockCrop(ny, nx, b, starts.length, opts.maxSide);
    const slices: SliceArray[] = [];
    for (let k = 0; k < depth; k++) slices.push(cropSlice(await getSlice(z0 + k), nx, crop));
    blocks.push({ z0, crop, slices });
  }
  return { rows: blocks[0].crop.rows, columns: blocks[0].crop.columns, blocks };
}

export async function flipConsistency(getSlice: GetGreySlice, shape: Shape3, segment: SegmentBlock, opts: FlipCheckOptions = {}): Promise<FlipCheck> {
  const { rows, columns, blocks } = await sampleCrops(getSlice, shape, opts);
  const P = rows * columns;
  const checked: CheckedSlice[] = [];
  let modelRuns = 0;
  for (const { z0, slices: block } of blocks) {
    throwIfAborted(opts.signal);
    const depth = block.length;
    const reference = await segment({ shape: [depth, rows, columns], slices: block }, true);
    modelRuns++;
    const differs = Array.from({ length: depth }, () => new Uint8Array(P));
    for (const t of TTA_TRANSFORMS) {
      throwIfAborted(opts.signal);
      const [tr, tc] = transformedSize(t, rows, columns);
      const { labels } = await segment({ shape: [depth, tr, tc], slices: block.map((s) => transformSlice(s, rows, columns, t)) }, false);
      modelRuns++;
      for (let k = 0; k < depth; k++) {
        const back = untransformSlice(labels[k], rows, columns, t);
        const ref = reference.labels[k];
        const d = differs[k];
        for (let i = 0; i < P; i++) if (back[i] !== ref[i]) d[i] = 1;
      }
    }
    for (let k = 0; k < depth; k++) {
      let n = 0;
      for (let i = 0; i < P; i++) n += differs[k][i];
      checked.push({ z: z0 + k, grey: block[k], labels: reference.labels[k], prob: reference.prob?.[k], disagreement: n / P });
    }
  }
  const mean = checked.reduce((a, s) => a + s.disagreement, 0) / checked.length;
  return { crops: blocks.map((b) => b.crop), slices: checked, meanDisagreement: mean, modelRuns };
}
