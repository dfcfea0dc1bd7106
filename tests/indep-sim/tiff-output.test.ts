// The simulator's ImageJ TIFFs open in the app with the voxel size in nm and
// the same pixels as the raw dumps; the manifest records every parameter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTiffVolume } from '../../src-main/import/read-tiff-volume';
import { makeIndepStack, type IndepStack } from '../helpers/indep-sim';

let u8: IndepStack;
let u16: IndepStack;
beforeAll(() => {
  u8 = makeIndepStack({ family: 'grains', seed: 2, shape: [6, 40, 56], pixelNm: 4, sliceNm: 8, featurePx: 8 });
  u16 = makeIndepStack({ family: 'fibres', seed: 2, shape: [5, 32, 48], dtype: 'uint16', pixelNm: 2.5, kv: 4, detector: 'inlens', fill: 'vacuum' });
});
afterAll(() => {
  u8?.cleanup();
  u16?.cleanup();
});

describe('independent simulator: files', () => {
  it('grey.tif and truth.tif read by the app: voxel size from the ImageJ calibration, pixels as in the raw dump', async () => {
    for (const s of [u8, u16]) {
      const grey = await readTiffVolume([join(s.dir, 'grey.tif')]);
      expect(grey.shape).toEqual(s.grey.shape);
      expect(grey.dtype).toBe(s.grey.dtype);
      expect(grey.voxelSizeNm.x).toBeCloseTo(s.grey.voxelSizeNm.x, 6);
      expect(grey.voxelSizeNm.y).toBeCloseTo(s.grey.voxelSizeNm.y, 6);
      expect(grey.voxelSizeNm.z).toBeCloseTo(s.grey.voxelSizeNm.z, 6);
      grey.slices.forEach((slice, z) => expect(Array.from(slice)).toEqual(Array.from(s.grey.slices[z])));
      const truth = await readTiffVolume([join(s.dir, 'truth.tif')]);
      expect(truth.dtype).toBe('uint8');
      truth.slices.forEach((slice, z) => expect(Array.from(slice)).toEqual(Array.from(s.truth[z])));
    }
    expect(u8.grey.voxelSizeNm).toEqual({ x: 4, y: 4, z: 8 });
    expect(u16.grey.voxelSizeNm).toEqual({ x: 2.5, y: 2.5, z: 2.5 });
  });

  it('uint16 output uses the 16-bit range', () => {
    let max = 0;
    for (const s of u16.grey.slices) for (let i = 0; i < s.length; i++) max = Math.max(max, s[i]);
    expect(max).toBeGreaterThan(255);
  });

  it('the manifest holds the family, seed, every parameter asked for and the files', () => {
    const m = JSON.parse(readFileSync(join(u16.dir, 'manifest.json'), 'utf8'));
    expect(m.family).toBe('fibres');
    expect(m.seed).toBe(2);
    expect(m.params).toMatchObject({ kv: 4, detector: 'inlens', fill: 'vacuum', dtype: 'uint16', pixel_nm: 2.5, slice_nm: 2.5 });
    for (const name of ['solid_fraction', 'feature_px', 'incidence_deg', 'dose', 'read_noise', 'curtain_amp', 'psf_sigma_px', 'fill_range_1kv_nm']) {
      expect(typeof m.params[name]).toBe('number');
    }
    expect(m.files).toMatchObject({ grey: 'grey.tif', truth: 'truth.tif', grey_raw: 'grey.raw', truth_raw: 'truth.raw' });
  });
});
