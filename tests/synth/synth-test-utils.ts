// Small brute-force measurements used by the synth tests (independent of the generators).
import type { Volume } from '../../src-shared/volume';

export function countSolid(v: Volume): number {
  let n = 0;
  for (const s of v.slices) for (let i = 0; i < s.length; i++) n += s[i] ? 1 : 0;
  return n;
}

/**
 * Two-point probability S2(r) of the solid phase along one axis, non-periodic:
 * P(voxel solid and voxel r voxels further along the axis solid), r = 0..maxLag.
 */
export function twoPointAlongAxis(v: Volume, axis: 'x' | 'y' | 'z', maxLag: number): number[] {
  const [nz, ny, nx] = v.shape;
  const s = v.slices;
  const out: number[] = [];
  for (let r = 0; r <= maxLag; r++) {
    let hits = 0, pairs = 0;
    for (let z = 0; z < nz - (axis === 'z' ? r : 0); z++) {
      const a = s[z];
      const b = s[axis === 'z' ? z + r : z];
      const dy = axis === 'y' ? r : 0;
      const dx = axis === 'x' ? r : 0;
      for (let y = 0; y < ny - dy; y++) {
        const ra = y * nx;
        const rb = (y + dy) * nx + dx;
        for (let x = 0; x < nx - dx; x++) hits += a[ra + x] & b[rb + x];
        pairs += nx - dx;
      }
    }
    out.push(hits / pairs);
  }
  return out;
}

/** e_L2(f, g) = 2 ||f - g|| / (||f|| + ||g||) (DOMAIN.md). */
export function relativeL2(f: number[], g: number[]): number {
  let d = 0, nf = 0, ng = 0;
  for (let i = 0; i < f.length; i++) (d += (f[i] - g[i]) ** 2), (nf += f[i] ** 2), (ng += g[i] ** 2);
  return (2 * Math.sqrt(d)) / (Math.sqrt(nf) + Math.sqrt(ng));
}
