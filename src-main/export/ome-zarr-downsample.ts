// The 2x2x2 reduced level of an OME-Zarr export, built as level-0 slices
// stream past: mean (grey values; integers rounded half up) or nearest (the
// first voxel of each block, for labels, which must not be averaged). Blocks
// at odd edges average the voxels that exist.

import { DTYPES, type DType, type SliceArray } from '../../src-shared/dtype';

export type DownsampleMethod = 'mean' | 'nearest';

export function reducedShape(shape: readonly [number, number, number]): [number, number, number] {
  return [Math.ceil(shape[0] / 2), Math.ceil(shape[1] / 2), Math.ceil(shape[2] / 2)];
}

export class Downsampler2x {
  private sum: Float64Array;
  private count: Uint8Array;
  private pending = 0;
  private readonly out: [number, number, number];

  constructor(private readonly shape: readonly [number, number, number], private readonly dtype: DType, private readonly method: DownsampleMethod) {
    this.out = reducedShape(shape);
    this.sum = new Float64Array(this.out[1] * this.out[2]);
    this.count = new Uint8Array(this.out[1] * this.out[2]);
  }

  /** Adds level-0 slice z (in order); returns a reduced slice every second slice and after the last one. */
  add(slice: SliceArray, z: number): SliceArray | undefined {
    const [nz, ny, nx] = this.shape;
    const [, my, mx] = this.out;
    if (this.method === 'nearest') {
      if (z % 2 !== 0) return undefined;
      const out = DTYPES[this.dtype].create(my * mx);
      for (let y = 0; y < my; y++) for (let x = 0; x < mx; x++) out[y * mx + x] = slice[2 * y * nx + 2 * x];
      return out;
    }
    for (let y = 0; y < ny; y++) {
      const o = (y >> 1) * mx;
      for (let x = 0; x < nx; x++) {
        this.sum[o + (x >> 1)] += slice[y * nx + x];
        this.count[o + (x >> 1)]++;
      }
    }
    this.pending++;
    if (this.pending < 2 && z < nz - 1) return undefined;
    const out = DTYPES[this.dtype].create(my * mx);
    const integer = this.dtype !== 'float32';
    for (let i = 0; i < out.length; i++) {
      const m = this.sum[i] / this.count[i];
      out[i] = integer ? Math.floor(m + 0.5) : m;
    }
    this.sum.fill(0);
    this.count.fill(0);
    this.pending = 0;
    return out;
  }
}
