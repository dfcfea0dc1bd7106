// Switching to BigTIFF or ImageJ's > 4 GiB layout, tested with a small forced threshold.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLASSIC_TIFF_MAX_BYTES, planTiffLayout, writeTiffStack } from '../../src-main/tiff-write';
import { encodeExtraTags, type PageTagInput } from '../../src-main/tiff-write/page-entries';
import { tempDir } from '../helpers/python';
import { randomSlices, stackInfo } from './fixtures';
import { readWithTifffile, slicesSha256 } from './tifffile-reader';

const tmp = tempDir('fibrecon-tiffw-layout-');
afterAll(() => tmp.cleanup());

const tags = (width: number, height: number): Omit<PageTagInput, 'bigTiff'> => ({
  width,
  height,
  dtype: 'uint16',
  xResolution: [1, 3],
  yResolution: [1, 3],
  description: new Uint8Array(200),
  extraTags: encodeExtraTags([{ tag: 34682, text: 'x'.repeat(99) }]),
});

describe('planTiffLayout', () => {
  it('stays classic up to the threshold and switches one byte past it', () => {
    const classic = planTiffLayout(10, tags(64, 32));
    expect(classic.kind).toBe('classic');
    expect(classic.fileBytes).toBeGreaterThan(10 * 64 * 32 * 2);
    expect(planTiffLayout(10, tags(64, 32), { bigTiffThresholdBytes: classic.fileBytes }).kind).toBe('classic');
    const big = planTiffLayout(10, tags(64, 32), { bigTiffThresholdBytes: classic.fileBytes - 1 });
    expect(big.kind).toBe('bigtiff');
    expect(big.bigTiff).toBe(true);
    expect(big.nIfds).toBe(10);
    const huge = planTiffLayout(10, tags(64, 32), { bigTiffThresholdBytes: classic.fileBytes - 1, imagejHuge: true });
    expect(huge.kind).toBe('imagej-huge');
    expect(huge.bigTiff).toBe(false);
    expect(huge.nIfds).toBe(1);
    expect(huge.fileBytes).toBe(huge.pixelOffset + 10 * 64 * 32 * 2);
  });

  it('switches by itself for a > 4 GiB stack (computed, nothing written)', () => {
    // 300 slices of 3072 x 2048 uint16 = 3.5 GiB: classic; 400 slices = 4.7 GiB: BigTIFF.
    expect(planTiffLayout(300, tags(3072, 2048)).kind).toBe('classic');
    const big = planTiffLayout(400, tags(3072, 2048));
    expect(big.kind).toBe('bigtiff');
    expect(big.fileBytes).toBeGreaterThan(CLASSIC_TIFF_MAX_BYTES);
    const huge = planTiffLayout(400, tags(3072, 2048), { imagejHuge: true });
    expect(huge.kind).toBe('imagej-huge');
    expect(huge.pixelOffset).toBeLessThan(4096);
  });

  it('keeps planes contiguous and IFDs even-aligned', () => {
    const l = planTiffLayout(5, { ...tags(7, 3), dtype: 'uint8' });
    expect(l.pixelOffset % 16).toBe(0);
    expect(l.restIfdOffset % 2).toBe(0);
    expect(l.restIfdOffset).toBeGreaterThanOrEqual(l.pixelOffset + 5 * 21);
    expect(l.restIfdBytes % 2).toBe(0);
  });
});

describe('forced switch, read by tifffile', () => {
  const [nz, ny, nx] = [6, 20, 30];

  for (const dtype of ['uint8', 'float32'] as const) {
    it(`${dtype}: BigTIFF above the threshold`, async () => {
      const slices = randomSlices(dtype, nz, ny, nx, 21);
      const path = join(tmp.dir, `big-${dtype}.tif`);
      const res = await writeTiffStack(path, stackInfo(dtype, nz, ny, nx), slices, {
        bigTiffThresholdBytes: 1000,
        extraTags: [{ tag: 34682, text: '[Scan]\r\nPixelWidth=3.3724e-009\r\n' }],
      });
      expect(res.layout).toBe('bigtiff');
      const r = readWithTifffile(path, [34682]);
      expect(r.is_bigtiff).toBe(true);
      expect(r.pages).toBe(nz);
      expect(r.shape).toEqual([nz, ny, nx]);
      expect(r.sha256).toBe(slicesSha256(slices));
      expect(r.pages_sha256).toBe(slicesSha256(slices));
      expect(r.is_imagej).toBe(true);
      expect(r.imagej?.spacing).toBe(10);
      expect(r.xres).toEqual([2500, 8431]);
      expect(r.last['34682']).toBe('[Scan]\r\nPixelWidth=3.3724e-009\r\n');
      expect(r.parsed['34682']).toEqual({ Scan: { PixelWidth: 3.3724e-9 } }); // tifffile parses FEI INI text
    });
  }

  for (const dtype of ['uint16', 'float32'] as const) {
    it(`${dtype}: ImageJ > 4 GiB layout (one IFD, planes contiguous)`, async () => {
      const slices = randomSlices(dtype, nz, ny, nx, 31);
      const path = join(tmp.dir, `huge-${dtype}.tif`);
      const res = await writeTiffStack(path, stackInfo(dtype, nz, ny, nx), slices, { bigTiffThresholdBytes: 1000, imagejHuge: true });
      expect(res.layout).toBe('imagej-huge');
      const r = readWithTifffile(path);
      expect(r.pages).toBe(1);
      expect(r.is_bigtiff).toBe(false);
      expect(r.is_imagej).toBe(true);
      expect(r.imagej?.images).toBe(nz);
      expect(r.shape).toEqual([nz, ny, nx]);
      expect(r.dtype).toBe(dtype);
      expect(r.sha256).toBe(slicesSha256(slices));
    });
  }

  it('refuses imagejHuge without the ImageJ description', async () => {
    const path = join(tmp.dir, 'bad.tif');
    await expect(
      writeTiffStack(path, stackInfo('uint8', 2, 2, 2), randomSlices('uint8', 2, 2, 2), { imagejHuge: true, imagej: false }),
    ).rejects.toMatchObject({ tag: 'invalid_input' });
  });
});
