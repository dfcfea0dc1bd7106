// The files opened by ImageJ itself (skipped where Debian's libij-java is not installed).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTiffStack } from '../../src-main/tiff-write';
import { tempDir } from '../helpers/python';
import { randomSlices, rangeOf, stackInfo } from './fixtures';
import { imageJAvailable, readWithImageJ } from './imagej-reader';
import { slicesSha256 } from './tifffile-reader';

const tmp = tempDir('fibrecon-tiffw-ij-');
afterAll(() => tmp.cleanup());

describe.skipIf(!imageJAvailable)('ImageJ opens the export with the right voxel size', () => {
  const [nz, ny, nx] = [5, 24, 37];
  const cases = [
    ['uint8', 'classic', {}],
    ['uint16', 'classic', {}],
    ['float32', 'classic', {}],
    ['uint16', 'imagej-huge', { bigTiffThresholdBytes: 1000, imagejHuge: true }],
  ] as const;
  for (const [dtype, layout, options] of cases) {
    it(`${dtype}, ${layout}`, async () => {
      const slices = randomSlices(dtype, nz, ny, nx, 41);
      const path = join(tmp.dir, `${dtype}-${layout}.tif`);
      const res = await writeTiffStack(path, stackInfo(dtype, nz, ny, nx), slices, options);
      expect(res.layout).toBe(layout);
      const r = readWithImageJ(path, tmp.dir);
      expect(r.opened).toBe(true);
      expect(r.nSlices).toBe(nz);
      expect(r.bitDepth).toBe({ uint8: 8, uint16: 16, float32: 32 }[dtype]);
      expect([r.width, r.height]).toEqual([nx, ny]);
      expect(r.unit).toBe('nm');
      expect(r.pixelWidth).toBeCloseTo(3.3724, 9);
      expect(r.pixelHeight).toBeCloseTo(2.5, 9);
      expect(r.pixelDepth).toBe(10);
      expect(r.sha256).toBe(slicesSha256(slices));
      if (dtype !== 'uint8') {
        const range = rangeOf(slices);
        expect(r.displayMin).toBeCloseTo(range.min, 3);
        expect(r.displayMax).toBeCloseTo(range.max, 3);
      }
    });
  }
});
