import { describe, expect, it } from 'vitest';
import { stretchZ } from '../../src-main/synth/stretch-z';
import type { Volume } from '../../src-shared/volume';

function ramp(nz: number, dtype: 'uint8' | 'float32' = 'uint8'): Volume {
  return {
    shape: [nz, 2, 3],
    dtype,
    voxelSizeNm: { x: 2, y: 2, z: 3 },
    zPositionsNm: Array.from({ length: nz }, (_, i) => i * 3),
    slices: Array.from({ length: nz }, (_, z) => (dtype === 'uint8' ? new Uint8Array(6) : new Float32Array(6)).fill(z + 0.5)),
  };
}

describe('stretchZ', () => {
  it('repeats slices by nearest neighbour and keeps the voxel size', () => {
    const s = stretchZ(ramp(4), 1.5);
    expect(s.shape).toEqual([6, 2, 3]);
    expect(s.slices.map((x) => x[0])).toEqual([0, 1, 1, 2, 3, 3]);
    expect(s.voxelSizeNm).toEqual({ x: 2, y: 2, z: 3 });
    expect(s.zPositionsNm).toEqual([0, 3, 6, 9, 12, 15]);
  });

  it('compresses with a factor below 1, keeps the dtype, copies the slices', () => {
    const v = ramp(6, 'float32');
    const s = stretchZ(v, 0.5);
    expect(s.dtype).toBe('float32');
    expect(s.slices.map((x) => x[0])).toEqual([1.5, 3.5, 5.5]);
    s.slices[0][0] = 99;
    expect(v.slices[1][0]).toBe(1.5);
  });

  it('refuses a non-positive factor or one that leaves no slice', () => {
    expect(() => stretchZ(ramp(4), 0)).toThrow(/stretch factor must be a positive/);
    expect(() => stretchZ(ramp(4), 0.1)).toThrow(/leaves no slice/);
  });
});
