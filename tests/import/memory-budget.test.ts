// The import's memory budget: the estimate of what reading a page takes (from
// its geometry), how many slices may be in flight, and the refusal of a page
// that alone exceeds the budget. Estimates checked against the sizes worked
// out by hand from the TIFF layout.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMPORT_MEMORY_MB, importMemoryBudgetBytes, MAX_SLICES_IN_FLIGHT, sliceBytes, slicesInFlight } from '../../src-main/import/memory-budget';
import { openTiff, pageMemoryModel, pageReadBytes } from '../../src-main/tiff';
import { tempDir } from '../helpers/python';
import { basicEntries, writeTiff } from '../tiff/tiff-writer';

const tmp = tempDir('fibrecon-memory-budget-');
afterAll(() => tmp.cleanup());
const MiB = 2 ** 20;

async function model(name: string, p: Parameters<typeof basicEntries>[0], chunks: number) {
  const path = join(tmp.dir, name);
  writeFileSync(path, writeTiff([{ entries: basicEntries(p), chunks: Array.from({ length: chunks }, () => new Uint8Array(4)) }]));
  const tiff = await openTiff(path);
  const page = tiff.pages[0];
  await tiff.close();
  return pageMemoryModel(page);
}

describe('importMemoryBudgetBytes', () => {
  it('defaults to 2048 MB; FIBRECON_IMPORT_MEMORY_MB sets it; nonsense is refused with what to write', () => {
    expect(DEFAULT_IMPORT_MEMORY_MB).toBe(2048);
    expect(importMemoryBudgetBytes({})).toBe(2048 * MiB);
    expect(importMemoryBudgetBytes({ FIBRECON_IMPORT_MEMORY_MB: '512' })).toBe(512 * MiB);
    expect(() => importMemoryBudgetBytes({ FIBRECON_IMPORT_MEMORY_MB: 'lots' })).toThrow(/FIBRECON_IMPORT_MEMORY_MB=lots is not a positive number of MB: set it to e\.g\. 8192/);
  });
});

describe('pageReadBytes', () => {
  it('Deflate, one strip of 1000 x 1000 16-bit: the plane plus the inflated strip', async () => {
    const m = await model('deflate.tif', { width: 1000, height: 1000, bits: 16, compression: 8 }, 1);
    expect(pageReadBytes(m, { width: 1000, height: 1000 })).toBe(2_000_000 + 2_000_000);
    // A crop still inflates the whole strip it touches.
    expect(pageReadBytes(m, { width: 10, height: 10 })).toBe(200 + 2_000_000);
  });

  it('Deflate, 100 strips of 10 rows: at most 8 strips in flight', async () => {
    const m = await model('strips.tif', { width: 1000, height: 1000, bits: 8, compression: 8, rowsPerStrip: 10 }, 100);
    expect(pageReadBytes(m, { width: 1000, height: 1000 })).toBe(1_000_000 + 8 * 10_000);
  });

  it('LZW RGB: three colour planes besides the grey one, a decoded and a compressed strip', async () => {
    const m = await model('rgb.tif', { width: 100, height: 50, bits: 8, spp: 3, photometric: 2, compression: 5 }, 1);
    expect(pageReadBytes(m, { width: 100, height: 50 })).toBe(4 * 5000 + 2 * 15_000);
  });

  it('uncompressed grey strips are read in place', async () => {
    const m = await model('raw.tif', { width: 100, height: 50, bits: 8 }, 1);
    expect(pageReadBytes(m, { width: 100, height: 50 })).toBe(5000 + 5000);
  });
});

describe('slicesInFlight', () => {
  const where = { file: '/data/big.tif', page: 1, pages: 3, width: 40000, height: 30000, dtype: 'uint8' };

  it('small slices: the most in flight; large ones: fewer; each slice counts read + 2 planes while compressed', () => {
    expect(slicesInFlight({ planeBytes: 50 * MiB, readBytes: 100 * MiB }, 2048 * MiB, where)).toBe(MAX_SLICES_IN_FLIGHT);
    // 400 MB plane read from one 400 MB strip: 1600 MB for the first slice, 1200 more for each other one.
    expect(sliceBytes({ planeBytes: 400 * MiB, readBytes: 800 * MiB })).toBe(1600 * MiB);
    expect(slicesInFlight({ planeBytes: 400 * MiB, readBytes: 800 * MiB }, 2048 * MiB, where)).toBe(1);
    expect(slicesInFlight({ planeBytes: 400 * MiB, readBytes: 800 * MiB }, 4000 * MiB, where)).toBe(3);
  });

  it('refuses a slice over the budget, naming the image and file, the size and the two remedies', () => {
    expect(() => slicesInFlight({ planeBytes: 1200 * MiB, readBytes: 2400 * MiB }, 2048 * MiB, where)).toThrow(
      expect.objectContaining({
        tag: 'unsupported_format',
        file: '/data/big.tif',
        message:
          "image 2 of big.tif is 40000 x 30000 px uint8: reading one slice needs about 4800 MB, more than the import's memory budget of 2048 MB. " +
          'Import a region of it (--crop X,Y,W,H), or raise the budget (FIBRECON_IMPORT_MEMORY_MB=9600) if the machine has the memory; ' +
          'if the image should be smaller, the file is damaged: copy it again.',
      }),
    );
  });
});
