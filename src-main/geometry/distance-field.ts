// The signed distance to the solid/pore boundary (signed-distance.ts: nm, > 0 in
// solid) of the measured planes of a repositioned binary volume, and its not-a-knot
// cubic spline along z through those planes for any block of (y, x) columns. This is
// what the 'distance' interpolant of linear/cubic gap filling thresholds at 0 (RCS),
// and the input of the ML inpainting (fill-ml.ts), which reads it block by block
// instead of holding a float volume.
import { throwIfAborted } from '../../src-shared/errors';
import type { SliceArray } from '../../src-shared/dtype';
import type { Volume } from '../../src-shared/volume';
import { fillCubic, type PlaneStore } from './fill-along-z';
import { signedDistancePlane } from './signed-distance';

/**
 * Signed distances (float32, nm) of the measured planes; undefined for gaps. Memory: 4 bytes
 * per measured voxel. A plane without boundary is capped at the plane's diagonal.
 */
export function measuredDistancePlanes(volume: Volume, known: Uint8Array, signal?: AbortSignal): (Float32Array | undefined)[] {
  const [, ny, nx] = volume.shape;
  const cap = Math.hypot(ny * volume.voxelSizeNm.y, nx * volume.voxelSizeNm.x);
  return volume.slices.map((plane, k) => {
    if (!known[k]) return undefined;
    throwIfAborted(signal);
    return signedDistancePlane(plane, ny, nx, volume.voxelSizeNm, cap);
  });
}

const storeFloat: PlaneStore = (plane, o, v) => (plane as Float32Array).set(v, o);

/**
 * The spline of the distance along z for `len` columns: every plane a Float32Array(len);
 * measured planes hold the values `pick` takes from their distance plane (a view or a copy),
 * gap planes the spline's values.
 */
export function splineDistanceColumns(dist: readonly (Float32Array | undefined)[], known: Uint8Array, len: number, pick: (plane: Float32Array) => Float32Array, signal?: AbortSignal): Float32Array[] {
  const slices: SliceArray[] = dist.map((d) => (d ? pick(d) : new Float32Array(len)));
  fillCubic({ slices, known, store: storeFloat, signal });
  return slices as Float32Array[];
}

/** Rows y0 <= y < y1 of every plane (layout [y - y0][x], nx columns). */
export function distanceRows(dist: readonly (Float32Array | undefined)[], known: Uint8Array, nx: number, y0: number, y1: number, signal?: AbortSignal): Float32Array[] {
  return splineDistanceColumns(dist, known, (y1 - y0) * nx, (d) => d.subarray(y0 * nx, y1 * nx), signal);
}

/** Columns x0 <= x < x1 of every plane (layout [y][x - x0], ny rows). */
export function distanceColumns(dist: readonly (Float32Array | undefined)[], known: Uint8Array, ny: number, nx: number, x0: number, x1: number, signal?: AbortSignal): Float32Array[] {
  const bx = x1 - x0;
  const pick = (d: Float32Array): Float32Array => {
    const out = new Float32Array(ny * bx);
    for (let y = 0; y < ny; y++) out.set(d.subarray(y * nx + x0, y * nx + x1), y * bx);
    return out;
  };
  return splineDistanceColumns(dist, known, ny * bx, pick, signal);
}
