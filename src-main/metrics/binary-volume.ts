// Checks shared by every metric: a metric reads a binary label volume
// (uint8, 1 = solid, 0 = pore) and refuses anything else before it starts.
import { AppError } from '../../src-shared/errors';
import type { Shape3, Volume } from '../../src-shared/volume';

export type Axis = 'x' | 'y' | 'z';
export const AXES: readonly Axis[] = ['x', 'y', 'z'];

/** A binary label volume as the metrics see it: its slices and shape, nothing else. */
export type BinaryVolume = Pick<Volume, 'shape' | 'slices' | 'dtype' | 'voxelSizeNm'>;

/** "nx x ny x nz voxels (x, y, z)": the order users read sizes in. */
export function shapeText(shape: Shape3): string {
  return `${shape[2]} x ${shape[1]} x ${shape[0]} voxels (x, y, z)`;
}

export function axisLength(shape: Shape3, axis: Axis): number {
  return axis === 'x' ? shape[2] : axis === 'y' ? shape[1] : shape[0];
}

export function voxelCount(shape: Shape3): number {
  return shape[0] * shape[1] * shape[2];
}

/**
 * Returns the slices as Uint8Array after checking that the volume is a complete
 * binary label volume; `what` names it in messages ("the result", "the ground truth").
 */
export function binarySlices(volume: BinaryVolume, what = 'the volume'): Uint8Array[] {
  const [nz, ny, nx] = volume.shape;
  if (![nz, ny, nx].every((n) => Number.isInteger(n) && n > 0)) {
    throw new AppError('invalid_input', `${what} has shape ${shapeText(volume.shape)}: every size must be a positive integer.`);
  }
  if (volume.dtype !== 'uint8') {
    throw new AppError('invalid_input', `${what} is ${volume.dtype}; the metrics need uint8 labels (1 = solid, 0 = pore): segment or binarise it first.`);
  }
  if (volume.slices.length !== nz) {
    throw new AppError('size_mismatch', `${what} declares ${nz} slices but holds ${volume.slices.length}.`);
  }
  const n = ny * nx;
  volume.slices.forEach((s, k) => {
    if (!(s instanceof Uint8Array) || s.length !== n) {
      throw new AppError('size_mismatch', `slice ${k} of ${what} holds ${s.length} values, expected ${nx} x ${ny} = ${n}.`);
    }
    for (let i = 0; i < n; i++) {
      if (s[i] > 1) {
        throw new AppError(
          'invalid_input',
          `${what} has label ${s[i]} at x=${i % nx}, y=${Math.floor(i / nx)}, slice ${k}; the metrics need 1 = solid and 0 = pore: binarise it first.`,
        );
      }
    }
  });
  return volume.slices as Uint8Array[];
}

/** Voxel sizes may differ by at most this fraction for the anisotropy metrics. */
export const ISOTROPY_TOLERANCE = 0.01;

/** Refuses voxels whose sizes differ by more than 1 %: direction-wise curves would then compare different lengths. */
export function requireIsotropicVoxels(volume: Pick<Volume, 'voxelSizeNm'>): void {
  const { x, y, z } = volume.voxelSizeNm;
  for (const [axis, v] of [['x', x], ['y', y], ['z', z]] as const) {
    if (!Number.isFinite(v) || v <= 0) {
      throw new AppError('invalid_input', `voxel size along ${axis} must be a positive number of nm, got ${v}.`);
    }
  }
  const lo = Math.min(x, y, z);
  const hi = Math.max(x, y, z);
  if (hi > lo * (1 + ISOTROPY_TOLERANCE)) {
    throw new AppError(
      'invalid_input',
      `The anisotropy metrics need isotropic voxels, but the voxel size is ${x} x ${y} x ${z} nm (x, y, z): ` +
        `resample the volume to isotropic voxels first (e.g. ${lo} nm in every direction).`,
    );
  }
}

/** Checks an r range (in voxel steps) against the size of the volume along an axis. */
export function requireLagRange(shape: Shape3, axis: Axis, rMaxVoxels: number): void {
  const n = axisLength(shape, axis);
  if (!Number.isInteger(rMaxVoxels) || rMaxVoxels < 0 || rMaxVoxels > n - 1) {
    throw new AppError(
      'invalid_input',
      `r max must be a whole number of voxels from 0 to ${n - 1} (the volume is ${n} voxels long along ${axis}), got ${rMaxVoxels}.`,
    );
  }
}
