// The volume model: (z, y, x) stacks held slice by slice, never as one giant
// buffer, with the voxel size in nm per axis and the measured z of every slice.
import { DTYPES, type DType, type SliceArray } from './dtype';

export interface VoxelSizeNm {
  /** Column spacing (image x), nm. */
  x: number;
  /** Row spacing (image y), nm. */
  y: number;
  /** Nominal slice spacing (milling direction), nm. Real slices may be uneven: see zPositionsNm. */
  z: number;
}

/** Shape in (z, y, x) order: number of slices, rows, columns. */
export type Shape3 = readonly [nz: number, ny: number, nx: number];

export interface VolumeInfo {
  shape: Shape3;
  dtype: DType;
  voxelSizeNm: VoxelSizeNm;
  /** z of every slice in nm, length nz, non-decreasing; z_0 = 0 by convention. */
  zPositionsNm: readonly number[];
}

/** A volume in memory: one typed array per slice, each ny * nx, row-major (x fastest). */
export interface Volume extends VolumeInfo {
  slices: SliceArray[];
}

/** Evenly spaced z positions: z_i = i * spacingNm. */
export function uniformZPositions(nz: number, spacingNm: number): number[] {
  return Array.from({ length: nz }, (_, i) => i * spacingNm);
}

/** z positions from a thickness table: z_0 = 0, z_{i+1} = z_i + thickness[i] (docs/conventions.md). */
export function zPositionsFromThickness(thicknessNm: readonly number[]): number[] {
  const z = [0];
  for (const t of thicknessNm) z.push(z[z.length - 1] + t);
  return z;
}

export function sliceLength(info: Pick<VolumeInfo, 'shape'>): number {
  return info.shape[1] * info.shape[2];
}

export function sliceBytes(info: Pick<VolumeInfo, 'shape' | 'dtype'>): number {
  return sliceLength(info) * DTYPES[info.dtype].bytes;
}

export function volumeBytes(info: Pick<VolumeInfo, 'shape' | 'dtype'>): number {
  return info.shape[0] * sliceBytes(info);
}

/** Checks the invariants of a VolumeInfo; returns a list of problems (empty when valid). */
export function volumeInfoProblems(info: VolumeInfo): string[] {
  const problems: string[] = [];
  const [nz, ny, nx] = info.shape;
  for (const [name, n] of [['slices', nz], ['rows', ny], ['columns', nx]] as const) {
    if (!Number.isInteger(n) || n <= 0) problems.push(`number of ${name} must be a positive integer, got ${n}`);
  }
  for (const axis of ['x', 'y', 'z'] as const) {
    const v = info.voxelSizeNm[axis];
    if (!Number.isFinite(v) || v <= 0) problems.push(`voxel size along ${axis} must be a positive number of nm, got ${v}`);
  }
  if (info.zPositionsNm.length !== nz) {
    problems.push(`${nz} slices but ${info.zPositionsNm.length} z positions`);
  } else {
    for (let i = 1; i < nz; i++) {
      if (!(info.zPositionsNm[i] >= info.zPositionsNm[i - 1])) {
        problems.push(`z positions must not decrease: slice ${i} at ${info.zPositionsNm[i]} nm after ${info.zPositionsNm[i - 1]} nm`);
        break;
      }
    }
  }
  return problems;
}
