// Local thickness (Hildebrand & Rüegsegger 1997, J. Microsc. 185: 67): the thickness at a
// voxel is the diameter of the largest ball that lies inside the phase and contains it.
// Balls are centred on voxel centres; the radius at a centre c is its distance to the
// nearest voxel centre of the other phase (exact EDT), the ball the open ball {p : |p - c| < r}.
import { AppError } from '../../../src-shared/errors';
import type { Shape3, VoxelSizeNm } from '../../../src-shared/volume';
import { type BinaryVolume, binarySlices } from '../binary-volume';
import { squaredDistanceToBackgroundNm2 } from './distance-transform';
import { type LengthDistributionNm, lengthDistributionNm } from './histogram';
import { type JobControl, type Phase, phaseMask, reportProgress, requireVoxelSize } from './phase';

export interface LocalThickness {
  /** Diameters of the solid: ligament / strut diameters ([Wijaya2024]'s phi). Null when the volume has no solid or no pore. */
  solid: LengthDistributionNm | null;
  /** Diameters of the pores. Null when the volume has no pore or no solid. */
  pore: LengthDistributionNm | null;
  binWidthNm: number;
}

export interface LocalThicknessOptions extends JobControl {
  /** Histogram bin width, nm; default the smallest voxel size. */
  binWidthNm?: number;
}

/**
 * Thickness map (nm) of the voxels where mask is 1; 0 elsewhere; null when the mask has no 0
 * (no ball radius is finite).
 */
export function localThicknessMapNm(mask: Uint8Array, shape: Shape3, voxelSizeNm: VoxelSizeNm, control?: JobControl): Float64Array | null {
  const [nz, ny, nx] = shape;
  const { x: hx, y: hy, z: hz } = voxelSizeNm;
  const sub = (from: number, to: number): JobControl | undefined =>
    control && { signal: control.signal, onProgress: (f) => control.onProgress?.(from + f * (to - from)) };
  if (!mask.includes(0)) return null;
  const d2 = squaredDistanceToBackgroundNm2(mask, shape, voxelSizeNm, sub(0, 0.3));
  const plane = nx * ny;

  // Centres whose ball lies inside a neighbour's ball (|c - c'| + r <= r') add nothing: skip them.
  // The margin keeps rounding from ever skipping a ball that is not contained.
  const centres: number[] = [];
  const sdz: number[] = [], sdy: number[] = [], sdx: number[] = [], lens: number[] = [], offs: number[] = [];
  for (let dz = -1; dz <= 1; dz++) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
    if (!(dz || dy || dx)) continue;
    sdz.push(dz); sdy.push(dy); sdx.push(dx); offs.push(dz * plane + dy * nx + dx);
    lens.push(Math.sqrt((dz * hz) ** 2 + (dy * hy) ** 2 + (dx * hx) ** 2));
  }
  const radius = new Float64Array(mask.length);
  for (let i = 0; i < mask.length; i++) radius[i] = Math.sqrt(d2[i]);
  for (let z = 0, i = 0; z < nz; z++) {
    reportProgress(sub(0.3, 0.4), z / nz);
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++, i++) {
      if (mask[i] === 0) continue;
      const r = radius[i];
      const interior = z > 0 && z < nz - 1 && y > 0 && y < ny - 1 && x > 0 && x < nx - 1;
      let contained = false;
      for (let k = 0; k < 26; k++) {
        if (!interior) {
          const zz = z + sdz[k], yy = y + sdy[k], xx = x + sdx[k];
          if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx) continue;
        }
        if (r + lens[k] <= radius[i + offs[k]] * (1 - 1e-9)) { contained = true; break; }
      }
      if (!contained) centres.push(i);
    }
  }
  const order = Int32Array.from(centres);
  order.sort((a, b) => d2[b] - d2[a]);

  const thickness = new Float64Array(mask.length);
  for (let k = 0; k < order.length; k++) {
    if ((k & 1023) === 0) reportProgress(sub(0.4, 1), k / order.length);
    const c = order[k];
    const R2 = d2[c];
    const diameter = 2 * Math.sqrt(R2);
    const cz = (c / plane) | 0, cy = ((c - cz * plane) / nx) | 0, cx = c - cz * plane - cy * nx;
    const rz = Math.floor(Math.sqrt(R2) / hz), ry = Math.floor(Math.sqrt(R2) / hy), rx = Math.floor(Math.sqrt(R2) / hx);
    const z0 = Math.max(0, cz - rz), z1 = Math.min(nz - 1, cz + rz);
    const y0 = Math.max(0, cy - ry), y1 = Math.min(ny - 1, cy + ry);
    for (let z = z0; z <= z1; z++) {
      const ez = (z - cz) * hz;
      const rem = R2 - ez * ez;
      if (rem <= 0) continue;
      for (let y = y0; y <= y1; y++) {
        const ey = (y - cy) * hy;
        const rem2 = rem - ey * ey;
        if (rem2 <= 0) continue;
        const span = Math.floor(Math.sqrt(rem2) / hx) + 1;
        const x0 = Math.max(0, cx - span), x1 = Math.min(nx - 1, cx + span);
        const row = z * plane + y * nx;
        for (let x = x0; x <= x1; x++) {
          const ex = (x - cx) * hx;
          // The same sum, in the same order, as the definition: |p - c|^2 < r^2.
          if (ez * ez + ey * ey + ex * ex < R2 && thickness[row + x] < diameter) thickness[row + x] = diameter;
        }
      }
    }
  }
  reportProgress(control, 1);
  return thickness;
}

/** Distributions of the local thickness of the solid (ligaments) and of the pores. Any voxel size. */
export function localThickness(volume: BinaryVolume, options: LocalThicknessOptions = {}): LocalThickness {
  const slices = binarySlices(volume);
  requireVoxelSize(volume.voxelSizeNm);
  const { x, y, z } = volume.voxelSizeNm;
  const binWidthNm = options.binWidthNm ?? Math.min(x, y, z);
  if (!Number.isFinite(binWidthNm) || binWidthNm <= 0) {
    throw new AppError('invalid_input', `The histogram bin width must be a positive number of nm, got ${binWidthNm}.`);
  }
  const one = (phase: Phase, from: number): LengthDistributionNm | null => {
    const mask = phaseMask(slices, phase);
    const map = localThicknessMapNm(mask, volume.shape, volume.voxelSizeNm, {
      signal: options.signal,
      onProgress: (f) => options.onProgress?.(from + f / 2),
    });
    return map && lengthDistributionNm(map, mask, binWidthNm);
  };
  return { solid: one('solid', 0), pore: one('pore', 0.5), binWidthNm };
}
