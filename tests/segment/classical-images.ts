// Test images for the classical segmentation tests: multi-level grey stacks
// with Gaussian noise, seeded, and their raw bytes for python.
import { writeFileSync } from 'node:fs';
import type { Volume } from '../../src-shared/volume';
import { random } from '../helpers/random';

export interface LevelSpec {
  dtype: 'uint8' | 'uint16';
  shape: [number, number, number];
  /** Mean grey value of every level and the noise sd. */
  levels: number[];
  sd: number;
  seed: number;
}

/** Each pixel takes one level (blocks of 8 x 8 px, random level), plus Gaussian noise, clipped to the dtype. */
export function levelStack(spec: LevelSpec): Volume {
  const [nz, ny, nx] = spec.shape;
  const rnd = random(spec.seed);
  const max = spec.dtype === 'uint8' ? 255 : 65535;
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const slices = [];
  for (let z = 0; z < nz; z++) {
    const s = spec.dtype === 'uint8' ? new Uint8Array(ny * nx) : new Uint16Array(ny * nx);
    const bw = Math.ceil(nx / 8);
    const blocks = Array.from({ length: Math.ceil(ny / 8) * bw }, () => Math.floor(rnd() * spec.levels.length));
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const v = spec.levels[blocks[Math.floor(y / 8) * bw + Math.floor(x / 8)]] + spec.sd * gauss();
        s[y * nx + x] = Math.min(max, Math.max(0, Math.round(v)));
      }
    }
    slices.push(s);
  }
  return { shape: [nz, ny, nx], dtype: spec.dtype, voxelSizeNm: { x: 5, y: 5, z: 10 }, zPositionsNm: Array.from({ length: nz }, (_, i) => 10 * i), slices };
}

/** Writes the stack as raw little-endian bytes (z, y, x). */
export function writeRaw(path: string, v: Volume): void {
  writeFileSync(path, Buffer.concat(v.slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength))));
}
