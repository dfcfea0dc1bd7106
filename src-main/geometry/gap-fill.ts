// Gap filling of a repositioned volume ([Sardhara2023] 2.2.3): the planes between
// the measured slices are interpolated along z. Binary label volumes (0/1), for
// 'linear' and 'cubic', interpolate one of two quantities:
//   'distance' (default): the signed distance to the phase boundary in each measured
//       plane (signed-distance.ts; shape-based interpolation); solid where the
//       interpolated distance is > 0 (exactly 0 goes to pore).
//   'labels': the 0/1 values themselves, thresholded at 0.5 (value >= 0.5 is solid),
//       as the paper's text reads. A spline through 0/1 steps crosses 0.5 close to the
//       midpoint between two measured planes, so it gives almost exactly the nearest
//       neighbour's result (docs/benchmarks.md, [Sardhara2023] table); 'distance' moves
//       the boundary smoothly from one plane's outline to the next one's.
// Then their small enclosed holes are filled in xz and yz planes (fill-holes.ts).
// Measured planes pass through bit-exact.
//
// Stored values: uint8/uint16 grey values are rounded to the nearest integer and
// clamped to the type's range (cubic splines overshoot); float32 is stored as is.
import { DTYPES, type SliceArray } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';
import { BINARY_INTERPOLANTS, type BinaryInterpolant } from '../../src-shared/pipeline-methods';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import type { Volume } from '../../src-shared/volume';
import { fillCubic, fillLinear, fillNearest, type GapFillMethod, type PlaneStore } from './fill-along-z';
import { DEFAULT_MAX_HOLE_AREA_PX, fillSmallHolesXzYz } from './fill-holes';
import { binaryRepositioned, type LabelMapping } from './binary-labels';
import type { RepositionedVolume } from './reposition-volume';
import { measuredDistancePlanes } from './distance-field';

export type { GapFillMethod } from './fill-along-z';
export { BINARY_INTERPOLANTS, type BinaryInterpolant };

export interface GapFillOptions {
  method: GapFillMethod;
  /**
   * Binary labels? Default: uint8 whose measured planes hold only 0 and 1. A binary volume with
   * other values (0/255, 1/2) is mapped to 0/1 first (binary-labels.ts: the higher value is solid).
   */
  binary?: boolean;
  /** Fill enclosed holes < maxHoleAreaPx in xz and yz planes (binary only). Default: true for binary linear and cubic (they make new shapes), false for nearest (it only copies measured planes). */
  fillHoles?: boolean;
  maxHoleAreaPx?: number;
  /** Write the gap planes into the repositioned volume's own arrays instead of a copy (halves peak memory; the input is changed). */
  inPlace?: boolean;
  /** Binary linear/cubic: interpolate the signed distance to the boundary ('distance', default) or the 0/1 labels ('labels'). */
  binaryInterpolant?: BinaryInterpolant;
  /** Names the volume in messages and in the labels note (default "the volume"). */
  name?: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface GapFillResult {
  volume: Volume;
  known: Uint8Array;
  binary: boolean;
  /** Voxels turned solid by the hole filling. */
  holeVoxelsFilled: number;
  /** What a binary linear/cubic fill interpolated; undefined for grey data and for nearest. */
  binaryInterpolant?: BinaryInterpolant;
  /** Binary fills: which input values were read as pore and solid (binary-labels.ts). */
  labels?: LabelMapping;
}

export function looksBinary(rep: RepositionedVolume): boolean {
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

const storePositive: PlaneStore = (plane, o, v) => {
  for (let i = 0; i < v.length; i++) plane[o + i] = v[i] > 0 ? 1 : 0;
};

/**
 * The planes the interpolation reads and writes: signed distances (float32, nm) in the
 * measured planes, the output planes in the gaps. Memory: 4 bytes per measured voxel on
 * top of the labels (e.g. 1.2 GB for 300 slices of 1024 x 1024).
 */
function distancePlanes(volume: Volume, known: Uint8Array, out: SliceArray[], signal: AbortSignal | undefined): SliceArray[] {
  const dist = measuredDistancePlanes(volume, known, signal);
  return out.map((plane, k) => dist[k] ?? plane);
}

/** Fills the gap planes; returns a new volume (the input is not changed unless `inPlace`). */
export function fillGaps(input: RepositionedVolume, opts: GapFillOptions): GapFillResult {
  if (!input.known.some((v) => v)) throw new AppError('invalid_input', 'the repositioned volume has no measured plane: there is nothing to interpolate from');
  if (!['nearest', 'linear', 'cubic'].includes(opts.method)) {
    throw new AppError('invalid_input', `gap filling method must be 'nearest', 'linear' or 'cubic', got ${JSON.stringify(opts.method)}`);
  }
  const binary = opts.binary ?? looksBinary(input);
  // Labels are labels: every plane of the result holds exactly 0 and 1, whatever values the mask used.
  const mapped = binary ? binaryRepositioned(input, opts.name) : undefined;
  const { volume, known } = mapped?.rep ?? input;
  const interpolant = binary && opts.method !== 'nearest' ? (opts.binaryInterpolant ?? 'distance') : undefined;
  if (interpolant && !BINARY_INTERPOLANTS.includes(interpolant)) {
    throw new AppError('invalid_input', `binary interpolant must be 'distance' or 'labels', got ${JSON.stringify(interpolant)}`);
  }
  const holes = binary && (opts.fillHoles ?? opts.method !== 'nearest');
  const progress = progressTracker(opts.onProgress);
  const slices: SliceArray[] = opts.inPlace ? volume.slices.slice() : volume.slices.map((s) => s.slice());
  const share = holes ? 0.7 : 1;
  const job = {
    slices: interpolant === 'distance' ? distancePlanes(volume, known, slices, opts.signal) : slices,
    known,
    store: interpolant === 'distance' ? storePositive : storeFor(volume.dtype, binary),
    signal: opts.signal,
    progress: (f: number) => progress(share * f, `${opts.method} interpolation along z${interpolant ? ` (${interpolant === 'distance' ? 'signed distance' : '0/1 labels'})` : ''}`),
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
  return { volume: { ...volume, slices }, known, binary, holeVoxelsFilled, binaryInterpolant: interpolant, ...(mapped ? { labels: mapped.mapping } : {}) };
}
