// Specific surface area ([Wijaya2024], Methods): area of the solid/pore interface per volume.
// The interface is the classic marching-cubes surface (Lorensen & Cline) at level 0.5
// of the 0/1 label field, vertices at edge midpoints, scaled by the voxel size.
import type { VoxelSizeNm } from '../../../src-shared/volume';
import { AppError } from '../../../src-shared/errors';
import { type BinaryVolume, binarySlices, shapeText } from '../binary-volume';
import { EDGE_CORNERS, TRIANGLES_BY_CASE } from './marching-cubes-table';
import { type JobControl, reportProgress, requireVoxelSize } from './phase';

export interface SpecificSurfaceArea {
  /** Marching-cubes area of the solid/pore interface, nm^2 (no surface on the faces of the volume). */
  interfaceAreaNm2: number;
  /** nx ny nz voxel volume, nm^3. */
  totalVolumeNm3: number;
  /** Solid voxels x voxel volume, nm^3. */
  solidVolumeNm3: number;
  /** Interface area / total volume ([Wijaya2024]'s SA), nm^-1. */
  perTotalVolumePerNm: number;
  /** Interface area / solid volume, nm^-1; null when there is no solid. */
  perSolidVolumePerNm: number | null;
  /** Solid voxels / all voxels ([Wijaya2024]'s relative density D). */
  solidFraction: number;
}

// Corner k of a cube as (dx, dy, dz); same order as the table.
const CORNER_OFFSETS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1],
];

/** Edge midpoints of a unit cube in voxel units (x, y, z), doubled so they stay integers. */
const EDGE_MIDPOINTS_X2: readonly (readonly [number, number, number])[] = EDGE_CORNERS.map(([a, b]) => [
  CORNER_OFFSETS[a][0] + CORNER_OFFSETS[b][0],
  CORNER_OFFSETS[a][1] + CORNER_OFFSETS[b][1],
  CORNER_OFFSETS[a][2] + CORNER_OFFSETS[b][2],
]);

/**
 * Triangle areas (nm^2) of every cube configuration: with a binary field every vertex is an
 * edge midpoint, so the area of a cube depends only on its configuration and the voxel size.
 */
export function caseAreasNm2(voxelSizeNm: VoxelSizeNm): Float64Array {
  const h = [voxelSizeNm.x / 2, voxelSizeNm.y / 2, voxelSizeNm.z / 2];
  const areas = new Float64Array(256);
  for (let c = 0; c < 256; c++) {
    const edges = TRIANGLES_BY_CASE[c];
    let sum = 0;
    for (let t = 0; t < edges.length; t += 3) {
      const p = EDGE_MIDPOINTS_X2[edges[t]], q = EDGE_MIDPOINTS_X2[edges[t + 1]], r = EDGE_MIDPOINTS_X2[edges[t + 2]];
      const ux = (q[0] - p[0]) * h[0], uy = (q[1] - p[1]) * h[1], uz = (q[2] - p[2]) * h[2];
      const vx = (r[0] - p[0]) * h[0], vy = (r[1] - p[1]) * h[1], vz = (r[2] - p[2]) * h[2];
      const cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
      sum += 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    }
    areas[c] = sum;
  }
  return areas;
}

/** Number of cubes of each of the 256 configurations (corner k inside when its label is 1). */
export function cubeConfigurationCounts(slices: readonly Uint8Array[], nx: number, ny: number, control?: JobControl): Float64Array {
  const counts = new Float64Array(256);
  const nz = slices.length;
  for (let z = 0; z + 1 < nz; z++) {
    reportProgress(control, z / Math.max(1, nz - 1));
    const a = slices[z], b = slices[z + 1];
    for (let y = 0; y + 1 < ny; y++) {
      const r0 = y * nx, r1 = r0 + nx;
      for (let x = 0; x + 1 < nx; x++) {
        const c =
          a[r0 + x] | (a[r0 + x + 1] << 1) | (a[r1 + x + 1] << 2) | (a[r1 + x] << 3) |
          (b[r0 + x] << 4) | (b[r0 + x + 1] << 5) | (b[r1 + x + 1] << 6) | (b[r1 + x] << 7);
        counts[c]++;
      }
    }
  }
  reportProgress(control, 1);
  return counts;
}

/** Interface area and specific surface area of a binary volume (any voxel size, at least 2 voxels per axis). */
export function specificSurfaceArea(volume: BinaryVolume, control?: JobControl): SpecificSurfaceArea {
  const slices = binarySlices(volume);
  requireVoxelSize(volume.voxelSizeNm);
  const [nz, ny, nx] = volume.shape;
  if (Math.min(nz, ny, nx) < 2) {
    throw new AppError('invalid_input', `The surface area needs at least 2 voxels along every axis (one cube of 8 voxels); the volume is ${shapeText(volume.shape)}.`);
  }
  const counts = cubeConfigurationCounts(slices, nx, ny, control);
  const areas = caseAreasNm2(volume.voxelSizeNm);
  let area = 0;
  for (let c = 1; c < 255; c++) area += counts[c] * areas[c];
  let solid = 0;
  for (const s of slices) for (let i = 0; i < s.length; i++) solid += s[i];
  const { x, y, z } = volume.voxelSizeNm;
  const voxel = x * y * z;
  const total = nx * ny * nz * voxel;
  return {
    interfaceAreaNm2: area,
    totalVolumeNm3: total,
    solidVolumeNm3: solid * voxel,
    perTotalVolumePerNm: area / total,
    perSolidVolumePerNm: solid > 0 ? area / (solid * voxel) : null,
    solidFraction: solid / (nx * ny * nz),
  };
}
