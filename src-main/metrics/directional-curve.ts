// A function of distance along one axis, as plots and reports use it.
import type { Axis } from './binary-volume';

/** Values at r = 0, 1, ..., rMax voxel steps along one axis; plain arrays so that it serialises to JSON as is. */
export interface DirectionalCurve {
  axis: Axis;
  /** Distance in voxel steps: 0, 1, ..., rMax. */
  rVoxels: number[];
  /** The same distances in nm (r * voxel size along the axis). */
  rNm: number[];
  values: number[];
}

/** values[r] = counts[r] / totals[r]. */
export function curveFromCounts(axis: Axis, counts: ArrayLike<number>, totals: ArrayLike<number>, voxelSizeNm: number): DirectionalCurve {
  const rVoxels: number[] = [];
  const rNm: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < counts.length; r++) {
    rVoxels.push(r);
    rNm.push(r * voxelSizeNm);
    values.push(counts[r] / totals[r]);
  }
  return { axis, rVoxels, rNm, values };
}

/**
 * Number of voxel pairs (p, p + r e_axis) with both ends inside the volume, which is
 * also the number of segments of r steps along the axis: (n_axis - r) lines' worth.
 */
export function pairsInside(voxels: number, axisLength: number, r: number): number {
  return (voxels / axisLength) * (axisLength - r);
}
