// Gap filling of a repositioned volume (seed Article II 2.2.3): the planes between
// the measured slices are interpolated along z; binary label volumes are thresholded
// at 0.5 (value >= 0.5 is solid) and then their small enclosed holes are filled
// in xz and yz planes (fill-holes.ts). Measured planes pass through bit-exact.
//
// Stored values: uint8/uint16 grey values are rounded to the nearest integer and
// clamped to the type's range (cubic splines overshoot); float32 is stored as is.
import { DTYPES, type SliceArray } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import type { Volume } from '../../src-shared/volume';
import { fillCubic, fillLinear, fillNearest, type GapFillMethod, type PlaneStore } from './fill-along-z';
import { DEFAULT_MAX_HOLE_AREA_PX, fillSmallHolesXzYz } from './fill-holes';
import type { RepositionedVolume } from './reposition-volume';

export type { GapFillMethod } from './fill-along-z';

export interface GapFillOptions {
  method: GapFillMethod;
  /** Binary labels (uint8, 0 = pore, 1 = solid)? Default: uint8 whose measured planes hold only 0 and 1. */
  binary?: boolean;
  /** Fill enclosed holes < maxHoleAreaPx in xz and yz planes (binary only). Default: true for binary linear and cubic (they make new shapes), false for nearest (it only copies measured planes). */
  fillHoles?: boolean;
  maxHoleAreaPx?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface GapFillResult {
  volume: Volume;
  known: Uint8Array;
  binary: boolean;
  /** Voxels turned solid by the hole filling. */
  holeVoxelsFilled: number;
}

function looksBinary(rep: RepositionedVolume): boolean {
  if (rep.volume.dtype !== 'uint8') return false;
  return rep.volume.slices.every((s, k) => !rep.known[k] || s.every((v) => v <= 1));
}

function storeFor(dtype: Volume['dtype'], binary: boolean): PlaneStore {
  if (binary) {
    return (plane, o, v) => {
      for (let i = 0; i < v.length; i++) plane[o + i] = v[i] >= 0.5 ? 1 : 0;
    };
  }
  if (dtype === 'float32') return (plane, o, v) => plane.set(v, o);
  const max = DTYPES[dtype].max;
  return (plane, o, v) => {
    for (let i = 0; i < v.length; i++) {
      const r = Math.round(v[i]);
      plane[o + i] = r < 0 ? 0 : r > max ? max : r;
    }
  };
}

/** Fills the gap planes; returns a new volume (the input is not changed). */
export function fillGaps(rep: RepositionedVolume, opts: GapFillOptions): GapFillResult {
  const { volume, known } = rep;
  if (!known.some((v) => v)) throw new AppError('invalid_input', 'the repositioned volume has no measured plane: there is nothing to interpolate from');
  if (!['nearest', 'linear', 'cubic'].includes(opts.method)) {
    throw new AppError('invalid_input', `gap filling method must be 'nearest', 'linear' or 'cubic', got ${JSON.stringify(opts.method)}`);
  }
  const binary = opts.binary ?? looksBinary(rep);
  if (binary && volume.dtype !== 'uint8') throw new AppError('invalid_input', `binary gap filling needs uint8 labels (0 = pore, 1 = solid), got ${volume.dtype}: segment the stack first`);
  const holes = binary && (opts.fillHoles ?? opts.method !== 'nearest');
  const progress = progressTracker(opts.onProgress);
  const slices: SliceArray[] = volume.slices.map((s) => s.slice());
  const share = holes ? 0.7 : 1;
  const job = {
    slices,
    known,
    store: storeFor(volume.dtype, binary),
    signal: opts.signal,
    progress: (f: number) => progress(share * f, `${opts.method} interpolation along z`),
  };
  if (opts.method === 'nearest') fillNearest(job);
  else if (opts.method === 'linear') fillLinear(job);
  else fillCubic(job);
  let holeVoxelsFilled = 0;
  if (holes) {
    holeVoxelsFilled = fillSmallHolesXzYz(slices as Uint8Array[], volume.shape[1], volume.shape[2], known, {
      maxAreaPx: opts.maxHoleAreaPx ?? DEFAULT_MAX_HOLE_AREA_PX,
      signal: opts.signal,
      onProgress: (p) => progress(share + (1 - share) * p.fraction, p.message),
    });
  }
  progress(1, 'gaps filled');
  return { volume: { ...volume, slices }, known, binary, holeVoxelsFilled };
}
