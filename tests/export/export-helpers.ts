// Shared by the export tests: a small random volume of any dtype and the
// independent python reader (read_export.py) that returns its voxels and header facts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DType, SliceArray } from '../../src-shared/dtype';
import { uniformZPositions } from '../../src-shared/volume';
import type { ExportVolume } from '../../src-main/export';
import { runPython } from '../helpers/python';
import { random } from '../helpers/random';

export const READER = readFileSync(join(__dirname, 'read_export.py'), 'utf8');

export function randomSlices(nz: number, ny: number, nx: number, dtype: DType, seed = 7): SliceArray[] {
  const rnd = random(seed);
  return Array.from({ length: nz }, () => {
    const n = ny * nx;
    if (dtype === 'uint8') return Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
    if (dtype === 'uint16') return Uint16Array.from({ length: n }, () => Math.floor(rnd() * 65536));
    return Float32Array.from({ length: n }, () => (rnd() - 0.5) * 1e4);
  });
}

export function testVolume(dtype: DType, shape: [number, number, number] = [5, 7, 9], seed = 7): ExportVolume {
  const voxelSizeNm = { x: 2.6, y: 3.1, z: 10 };
  return { shape, dtype, voxelSizeNm, zPositionsNm: uniformZPositions(shape[0], voxelSizeNm.z), slices: randomSlices(...shape, dtype, seed) };
}

export interface ReadBack {
  shape: [number, number, number];
  dtype: string;
  spacing_nm: [number, number, number];
  z_nm?: number[];
  extra?: Record<string, unknown>;
  /** Voxels as written by numpy (little endian, z, y, x). */
  bytes: Buffer;
}

export function readWithPython(format: string, path: string, outDir: string): ReadBack {
  const out = join(outDir, 'readback.bin');
  const info = JSON.parse(runPython(READER, [format, path, out]));
  return { ...info, bytes: readFileSync(out) };
}

/** The slices' values as little-endian bytes of `as` (e.g. uint8 widened to uint16 for MRC). */
export function expectedBytes(slices: SliceArray[], as: string): Buffer {
  const parts = slices.map((s) => {
    const a = as === 'uint16' && s instanceof Uint8Array ? Uint16Array.from(s) : s;
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  });
  return Buffer.concat(parts);
}
