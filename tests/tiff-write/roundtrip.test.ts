// uint8 / uint16 / float32 stacks written by writeTiffStack, read back by tifffile.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DType } from '../../src-shared/dtype';
import { writeTiffStack } from '../../src-main/tiff-write';
import { tempDir } from '../helpers/python';
import { randomSlices, rangeOf, stackInfo } from './fixtures';
import { readWithTifffile, slicesSha256 } from './tifffile-reader';

const tmp = tempDir('fibrecon-tiffw-');
afterAll(() => tmp.cleanup());

const NUMPY: Record<DType, string> = { uint8: 'uint8', uint16: 'uint16', float32: 'float32' };

describe('writeTiffStack, classic ImageJ TIFF, read by tifffile', () => {
  for (const dtype of ['uint8', 'uint16', 'float32'] as const) {
    it(`${dtype}: pixels, pages, ImageJ metadata and resolution`, async () => {
      const [nz, ny, nx] = [7, 33, 45]; // odd sizes: odd uint8 plane bytes exercise alignment
      const slices = randomSlices(dtype, nz, ny, nx, 11);
      if (dtype === 'float32') slices[2][5] = Number.NaN; // ignored by the display range
      const path = join(tmp.dir, `${dtype}.tif`);
      const res = await writeTiffStack(path, stackInfo(dtype, nz, ny, nx), slices);
      expect(res.layout).toBe('classic');

      const r = readWithTifffile(path);
      expect(r.pages).toBe(nz);
      expect(r.is_bigtiff).toBe(false);
      expect(r.dtype).toBe(NUMPY[dtype]);
      expect(r.shape).toEqual([nz, ny, nx]);
      expect(r.sha256).toBe(slicesSha256(slices));
      expect(r.pages_sha256).toBe(slicesSha256(slices)); // every IFD points at its own plane
      expect(r.all_pages_shape.every((s) => s[0] === ny && s[1] === nx)).toBe(true);

      expect(r.is_imagej).toBe(true);
      const ij = r.imagej!;
      expect(ij.ImageJ).toBe('1.11a');
      expect(ij.images).toBe(nz);
      expect(ij.slices).toBe(nz);
      expect(ij.unit).toBe('nm');
      expect(ij.spacing).toBe(10);
      expect(ij.loop).toBe(false);
      if (dtype === 'uint8') {
        expect(ij.min).toBeUndefined();
      } else {
        const range = rangeOf(slices);
        expect(ij.min).toBeCloseTo(range.min, 3);
        expect(ij.max).toBeCloseTo(range.max, 3);
      }

      // XResolution / YResolution = pixels per nm, ResolutionUnit none.
      expect(r.resunit).toBe(1);
      expect(r.xres[0] / r.xres[1]).toBeCloseTo(1 / 3.3724, 12);
      expect(r.xres).toEqual([2500, 8431]);
      expect(r.yres[0] / r.yres[1]).toBeCloseTo(1 / 2.5, 12);
    });
  }

  it('writes an explicit display range and overwrites an existing file', async () => {
    const path = join(tmp.dir, 'range.tif');
    const first = randomSlices('uint16', 2, 4, 4, 1);
    await writeTiffStack(path, stackInfo('uint16', 2, 4, 4), first);
    const slices = randomSlices('uint16', 3, 8, 5, 2);
    await writeTiffStack(path, stackInfo('uint16', 3, 8, 5), slices, { displayRange: { min: 100, max: 4000 } });
    const r = readWithTifffile(path);
    expect(r.imagej?.min).toBe(100);
    expect(r.imagej?.max).toBe(4000);
    expect(r.shape).toEqual([3, 8, 5]);
    expect(r.sha256).toBe(slicesSha256(slices));
  });

  it('single slice: one page, spacing still recorded', async () => {
    const path = join(tmp.dir, 'one.tif');
    const slices = randomSlices('uint8', 1, 10, 12, 3);
    await writeTiffStack(path, stackInfo('uint8', 1, 10, 12), slices);
    const r = readWithTifffile(path);
    expect(r.pages).toBe(1);
    expect(r.shape).toEqual([10, 12]);
    expect(r.sha256).toBe(slicesSha256(slices));
    expect(r.imagej?.spacing).toBe(10);
    expect(r.imagej?.images).toBeUndefined();
  });

  it('plain flavour: no ImageJ description, optional own description', async () => {
    const path = join(tmp.dir, 'plain.tif');
    const slices = randomSlices('uint16', 3, 6, 7, 4);
    await writeTiffStack(path, stackInfo('uint16', 3, 6, 7), slices, { imagej: false, description: 'fibrecon export' });
    const r = readWithTifffile(path, [270]);
    expect(r.is_imagej).toBe(false);
    expect(r.first['270']).toBe('fibrecon export');
    expect(r.pages).toBe(3);
    expect(r.sha256).toBe(slicesSha256(slices));
  });
});
