// Paints an axis-aligned ellipsoid into a label volume, visiting only its bounding
// box, so placing many small shapes costs their volume, not the volume's.
import type { Shape3, VoxelSizeNm } from '../../src-shared/volume';

/**
 * Sets every voxel whose centre lies inside the ellipsoid (centre and semi-axes in nm,
 * order x, y, z) to `label`; returns how many voxels changed.
 */
export function carveEllipsoid(
  labels: Uint8Array[], shape: Shape3, voxel: VoxelSizeNm,
  centreNm: readonly number[], semiAxesNm: readonly number[], label: number,
): number {
  const [nz, ny, nx] = shape;
  const [cx, cy, cz] = centreNm;
  const [ax, ay, az] = semiAxesNm;
  // Voxel i has its centre at (i + 0.5) * size: the range of i with |centre - c| <= a.
  const range = (c: number, a: number, size: number, n: number) =>
    [Math.max(0, Math.ceil((c - a) / size - 0.5)), Math.min(n - 1, Math.floor((c + a) / size - 0.5))];
  const [z0, z1] = range(cz, az, voxel.z, nz);
  const [y0, y1] = range(cy, ay, voxel.y, ny);
  const [x0, x1] = range(cx, ax, voxel.x, nx);
  let changed = 0;
  for (let z = z0; z <= z1; z++) {
    const dz = ((z + 0.5) * voxel.z - cz) / az;
    const slice = labels[z];
    for (let y = y0; y <= y1; y++) {
      const dy = ((y + 0.5) * voxel.y - cy) / ay;
      const rest = 1 - dz * dz - dy * dy;
      if (rest < 0) continue;
      const row = y * nx;
      for (let x = x0; x <= x1; x++) {
        const dx = ((x + 0.5) * voxel.x - cx) / ax;
        if (dx * dx <= rest && slice[row + x] !== label) {
          slice[row + x] = label;
          changed++;
        }
      }
    }
  }
  return changed;
}
