// Offsets beyond 4 GiB without writing gigabytes: sparse files whose few
// real planes lie past 2^32 bytes. Covers files Node cannot readFile (> 2 GiB),
// BigTIFF 64-bit offsets, and ImageJ's > 4 GiB layout at full scale.
import { closeSync, openSync, statSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTiff } from '../../src-main/tiff/open-tiff';
import { runPython, tempDir } from '../helpers/python';
import { expectPlane } from './fixtures';
import { pixels } from './synthetic';
import { asciiEntry, basicEntries, writeTiff, type PageSpec } from './tiff-writer';

const tmp = tempDir('fibrecon-tiff-large-');
afterAll(() => tmp.cleanup());

const W = 512;
const H = 512;
const PLANE = W * H * 2;
const FOUR_GIB = 2 ** 32;

/** Writes the header/IFD, then `planes` at their offsets, then extends the file (sparse) to `size`. */
function sparseFile(name: string, head: Uint8Array, planes: [number, Uint16Array][], size: number): string {
  const path = join(tmp.dir, name);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head, 0, head.length, 0);
    for (const [at, p] of planes) writeSync(fd, new Uint8Array(p.buffer, p.byteOffset, p.byteLength), 0, p.byteLength, at);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
  expect(statSync(path).blocks * 512).toBeLessThan(64 << 20); // really sparse
  return path;
}

// NTFS does not make files sparse on truncate: this would write gigabytes there.
describe.skipIf(process.platform === 'win32')('offsets beyond 4 GiB (sparse files)', () => {
  it('ImageJ layout: 9000 planes after one IFD, planes past 2^32 read right', async () => {
    const n = 9000; // 4.7 GB
    const first = 4096;
    const spec: PageSpec = {
      entries: [...basicEntries({ width: W, height: H, bits: 16 }), asciiEntry(270, `ImageJ=1.54f\nimages=${n}\nslices=${n}\nunit=nm\n`)],
      chunks: [],
      externalOffsets: [first],
      byteCounts: [PLANE],
    };
    const head = writeTiff([spec]);
    expect(head.length).toBeLessThan(first);
    const cross = Math.floor((FOUR_GIB - first) / PLANE); // the plane that straddles 2^32
    const picks = [0, cross, n - 1];
    const data = picks.map((i) => pixels(W, H, 16, 500 + i) as Uint16Array);
    const path = sparseFile('imagej_huge.tif', head, picks.map((i, k) => [first + i * PLANE, data[k]]), first + n * PLANE);
    expect(first + cross * PLANE).toBeLessThan(FOUR_GIB);
    expect(first + (cross + 1) * PLANE).toBeGreaterThan(FOUR_GIB);
    const t = await openTiff(path);
    try {
      expect(t.pages.length).toBe(n);
      expect(t.pages[n - 1].dataOffsets[0]).toBe(first + (n - 1) * PLANE);
      for (let k = 0; k < picks.length; k++) expectPlane(await t.readPage(picks[k]), data[k], W, H, 'uint16');
      const empty = await t.readPage(cross + 1);
      expect(empty.data.every((v) => v === 0)).toBe(true);
      // a crop of the last plane reads only its rows
      const c = await t.readPage(n - 1, { crop: { x: 100, y: 500, width: 12, height: 12 } });
      expect(c.data[0]).toBe(data[2][500 * W + 100]);
      expect(c.data[143]).toBe(data[2][511 * W + 111]);
    } finally {
      await t.close();
    }
  });

  it('BigTIFF: a page whose strips lie past 5 GB, big-endian; tifffile agrees', async () => {
    const at = 5_000_000_000;
    const plane = pixels(W, H, 16, 77) as Uint16Array;
    const be = new Uint16Array(plane.length);
    const bytes = new Uint8Array(be.buffer);
    const dv = new DataView(bytes.buffer);
    plane.forEach((v, i) => dv.setUint16(2 * i, v, false));
    const rps = 100;
    const offsets = Array.from({ length: Math.ceil(H / rps) }, (_, k) => at + k * rps * W * 2);
    const spec: PageSpec = {
      entries: basicEntries({ width: W, height: H, bits: 16, rowsPerStrip: rps }),
      chunks: [],
      externalOffsets: offsets,
      byteCounts: offsets.map((_, k) => Math.min(rps, H - k * rps) * W * 2),
    };
    const head = writeTiff([spec], { bigTiff: true, littleEndian: false });
    const path = sparseFile('bigtiff_far.tif', head, [[at, be]], at + PLANE + 100);
    const sum = Number(runPython(`
import sys, tifffile
with tifffile.TiffFile(sys.argv[1]) as t:
    print(int(t.pages[0].asarray().astype('int64').sum()))
`, [path]).trim());
    expect(sum).toBe(plane.reduce((s, v) => s + v, 0));
    const t = await openTiff(path);
    try {
      expect(t.bigTiff).toBe(true);
      expect(t.pages[0].dataOffsets[0]).toBe(at);
      expectPlane(await t.readPage(0), plane, W, H, 'uint16');
    } finally {
      await t.close();
    }
  });
});
