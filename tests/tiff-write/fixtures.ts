// Deterministic random stacks for the TIFF writer tests.
import { DTYPES, type DType, type SliceArray } from '../../src-shared/dtype';
import type { TiffStackInfo } from '../../src-main/tiff-write';

/** Small xorshift32 generator: same numbers on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export function randomSlices(dtype: DType, nz: number, ny: number, nx: number, seed = 1): SliceArray[] {
  const r = rng(seed);
  return Array.from({ length: nz }, () => {
    const a = DTYPES[dtype].create(ny * nx);
    for (let i = 0; i < a.length; i++) {
      if (dtype === 'float32') a[i] = (r() - 0.3) * 1000;
      else a[i] = Math.floor(r() * (DTYPES[dtype].max + 1));
    }
    return a;
  });
}

export function stackInfo(dtype: DType, nz: number, ny: number, nx: number): TiffStackInfo {
  return { shape: [nz, ny, nx], dtype, voxelSizeNm: { x: 3.3724, y: 2.5, z: 10 } };
}

export function rangeOf(slices: readonly SliceArray[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const s of slices) for (const v of s) if (Number.isFinite(v)) { if (v < min) min = v; if (v > max) max = v; }
  return { min, max };
}
