// Test volumes for the descriptors, and the bridge to the python reference (reference.py).
import { fileURLToPath } from 'node:url';
import type { Shape3, Volume, VoxelSizeNm } from '../../src-shared/volume';
import { runPython } from '../helpers/python';
import { labelVolume, random } from '../metrics/volumes';

export { random };

/** A uint8 volume whose voxel (z, y, x) is label(z, y, x); 1 nm voxels unless given. */
export function makeVolume(shape: Shape3, label: (z: number, y: number, x: number) => number, voxelSizeNm: VoxelSizeNm = { x: 1, y: 1, z: 1 }): Volume {
  return labelVolume(shape, label, voxelSizeNm);
}

/** Random labels, solid with probability `solid`. */
export function randomBinary(shape: Shape3, seed: number, solid = 0.5, voxelSizeNm: VoxelSizeNm = { x: 1, y: 1, z: 1 }): Volume {
  const rand = random(seed);
  return makeVolume(shape, () => (rand() < solid ? 1 : 0), voxelSizeNm);
}

/** A random binary volume with blobs rather than salt and pepper: box-smoothed noise, thresholded. */
export function blobVolume(shape: Shape3, seed: number, solid = 0.5, radius = 2, voxelSizeNm: VoxelSizeNm = { x: 1, y: 1, z: 1 }): Volume {
  const [nz, ny, nx] = shape;
  const rand = random(seed);
  const noise = Float64Array.from({ length: nz * ny * nx }, () => rand());
  const smooth = new Float64Array(noise.length);
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    let s = 0;
    for (let dz = -radius; dz <= radius; dz++) for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) {
      const zz = (z + dz + nz) % nz, yy = (y + dy + ny) % ny, xx = (x + dx + nx) % nx;
      s += noise[(zz * ny + yy) * nx + xx];
    }
    smooth[(z * ny + y) * nx + x] = s;
  }
  const sorted = Float64Array.from(smooth).sort();
  const threshold = sorted[Math.floor((1 - solid) * sorted.length)];
  return makeVolume(shape, (z, y, x) => (smooth[(z * ny + y) * nx + x] >= threshold ? 1 : 0), voxelSizeNm);
}

/** The volume as nested (z, y, x) lists for JSON. */
export function toNested(v: Volume): number[][][] {
  const [, ny, nx] = v.shape;
  return v.slices.map((s) => Array.from({ length: ny }, (_, y) => Array.from(s.subarray(y * nx, (y + 1) * nx))));
}

const SCRIPT = fileURLToPath(new URL('./reference.py', import.meta.url));

/** Runs one operation of reference.py (numpy / scipy / scikit-image) and returns its JSON answer. */
export function reference<T>(request: Record<string, unknown>): T {
  const out = runPython(`import runpy, sys; sys.argv = ['reference.py']; runpy.run_path(${JSON.stringify(SCRIPT)}, run_name='__main__')`, [], JSON.stringify(request));
  return JSON.parse(out) as T;
}

export function expectRelClose(actual: number, expected: number, rel: number): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  if (!(Math.abs(actual - expected) <= rel * scale)) {
    throw new Error(`expected ${actual} to be within ${rel} (relative) of ${expected}`);
  }
}
