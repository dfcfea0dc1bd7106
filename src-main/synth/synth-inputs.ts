// Checks shared by the generators: every parameter is validated completely
// before any work starts, with a message that says what to change.
import { AppError } from '../../src-shared/errors';
import { uniformZPositions, type Shape3, type Volume, type VoxelSizeNm } from '../../src-shared/volume';

/** Generators refuse volumes whose working memory would exceed this (bytes). */
export const MAX_SYNTH_BYTES = 8 * 1024 ** 3;

/** Voxel size as one number (isotropic, nm) or per axis. */
export type VoxelSizeInput = number | VoxelSizeNm;

export function invalid(message: string): AppError {
  return new AppError('invalid_input', message);
}

export function checkShape(shape: readonly number[]): Shape3 {
  if (!Array.isArray(shape) || shape.length !== 3) throw invalid(`shape must be [slices, rows, columns], got ${JSON.stringify(shape)}`);
  for (const [name, n] of [['slices', shape[0]], ['rows', shape[1]], ['columns', shape[2]]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw invalid(`number of ${name} must be a positive integer, got ${n}`);
  }
  return [shape[0], shape[1], shape[2]];
}

export function checkVoxelSize(v: VoxelSizeInput): VoxelSizeNm {
  const size = typeof v === 'number' ? { x: v, y: v, z: v } : v;
  for (const axis of ['x', 'y', 'z'] as const) {
    const s = size?.[axis];
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) throw invalid(`voxel size along ${axis} must be a positive number of nm, got ${s}`);
  }
  return { x: size.x, y: size.y, z: size.z };
}

export function checkPositive(name: string, value: number, hint = ''): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalid(`${name} must be a positive number, got ${value}${hint}`);
}

export function checkNonNegative(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(`${name} must be zero or a positive number, got ${value}`);
}

/** Fractions are open intervals: 0 or 1 would be an empty or full volume, never what a user means. */
export function checkFraction(name: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw invalid(`${name} must lie strictly between 0 and 1 (e.g. 0.3 for 30 %), got ${value}`);
  }
}

export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw invalid(`seed must be an integer, got ${seed}`);
}

/** Refuses shapes whose working set (bytesPerVoxel, as the generator needs them) would not fit. */
export function checkMemory(what: string, shape: Shape3, bytesPerVoxel: number, limitBytes = MAX_SYNTH_BYTES): void {
  const bytes = shape[0] * shape[1] * shape[2] * bytesPerVoxel;
  if (bytes > limitBytes) {
    const gb = (b: number) => (b / 1e9).toFixed(1);
    throw invalid(
      `A ${shape[2]} x ${shape[1]} x ${shape[0]} ${what} needs ${gb(bytes)} GB of memory while generating, ` +
        `more than the ${gb(limitBytes)} GB allowed: generate a smaller volume (or several tiles) or a coarser voxel size.`,
    );
  }
}

/** An all-zero (pore) uint8 label volume with evenly spaced slices. */
export function emptyLabelVolume(shape: Shape3, voxelSizeNm: VoxelSizeNm, fill = 0): Volume {
  const n = shape[1] * shape[2];
  return {
    shape,
    dtype: 'uint8',
    voxelSizeNm,
    zPositionsNm: uniformZPositions(shape[0], voxelSizeNm.z),
    slices: Array.from({ length: shape[0] }, () => new Uint8Array(n).fill(fill)),
  };
}
