// Test volumes and plain, loop-by-loop definitions of the metrics to check the fast code against.
import type { Shape3, Volume, VoxelSizeNm } from '../../src-shared/volume';
import { uniformZPositions } from '../../src-shared/volume';

export type Axis = 'x' | 'y' | 'z';

/** A uint8 label volume whose voxel (z, y, x) is label(z, y, x). */
export function labelVolume(shape: Shape3, label: (z: number, y: number, x: number) => number, voxelNm: number | VoxelSizeNm = 5): Volume {
  const voxel = typeof voxelNm === 'number' ? { x: voxelNm, y: voxelNm, z: voxelNm } : voxelNm;
  const [nz, ny, nx] = shape;
  const slices = [];
  for (let z = 0; z < nz; z++) {
    const s = new Uint8Array(ny * nx);
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) s[y * nx + x] = label(z, y, x);
    slices.push(s);
  }
  return { shape, dtype: 'uint8', voxelSizeNm: voxel, zPositionsNm: uniformZPositions(nz, voxel.z), slices };
}

import { random } from '../helpers/random';

export { random };

/** Random labels with solid probability `solid`: long solid runs when solid is high. */
export function randomVolume(shape: Shape3, seed: number, solid = 0.6, voxelNm = 5): Volume {
  const rand = random(seed);
  return labelVolume(shape, () => (rand() < solid ? 1 : 0), voxelNm);
}

export function at(v: Volume, z: number, y: number, x: number): number {
  return v.slices[z][y * v.shape[2] + x];
}

const STEP: Record<Axis, Shape3> = { z: [1, 0, 0], y: [0, 1, 0], x: [0, 0, 1] };

/** Brute force over all pairs (p, p + r e_axis) inside the volume: fraction with both solid. */
export function bruteTwoPoint(v: Volume, axis: Axis, rMax: number): number[] {
  const [nz, ny, nx] = v.shape;
  const [dz, dy, dx] = STEP[axis];
  const out: number[] = [];
  for (let r = 0; r <= rMax; r++) {
    let both = 0;
    let pairs = 0;
    for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const z2 = z + r * dz, y2 = y + r * dy, x2 = x + r * dx;
      if (z2 >= nz || y2 >= ny || x2 >= nx) continue;
      pairs++;
      if (at(v, z, y, x) === 1 && at(v, z2, y2, x2) === 1) both++;
    }
    out.push(both / pairs);
  }
  return out;
}

/** Brute force over all segments of r steps (r + 1 voxels) inside the volume: fraction entirely solid. */
export function bruteLinealPath(v: Volume, axis: Axis, rMax: number): number[] {
  const [nz, ny, nx] = v.shape;
  const [dz, dy, dx] = STEP[axis];
  const out: number[] = [];
  for (let r = 0; r <= rMax; r++) {
    let solid = 0;
    let segments = 0;
    for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      if (z + r * dz >= nz || y + r * dy >= ny || x + r * dx >= nx) continue;
      segments++;
      let all = true;
      for (let t = 0; t <= r; t++) if (at(v, z + t * dz, y + t * dy, x + t * dx) !== 1) all = false;
      if (all) solid++;
    }
    out.push(solid / segments);
  }
  return out;
}

/** e_L2 as printed in Article II eq. 1. */
export function bruteRelativeL2(f: number[], g: number[]): number {
  let d = 0, a = 0, b = 0;
  for (let i = 0; i < f.length; i++) { d += (f[i] - g[i]) ** 2; a += f[i] ** 2; b += g[i] ** 2; }
  return (2 * Math.sqrt(d)) / (Math.sqrt(a) + Math.sqrt(b));
}

/** D = 2 * trapezoid area of L over r in nm / L(0). */
export function bruteDiameter(l: number[], voxelNm: number): number {
  let area = 0;
  for (let r = 1; r < l.length; r++) area += ((l[r - 1] + l[r]) / 2) * voxelNm;
  return (2 * area) / l[0];
}

export function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-9): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  actual.forEach((a, i) => {
    if (!(Math.abs(a - expected[i]) <= tol)) throw new Error(`at ${i}: ${a} != ${expected[i]} (tol ${tol})`);
  });
}
