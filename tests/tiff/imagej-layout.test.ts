// ImageJ's layout for stacks over 4 GiB (one IFD, images=N, planes stored
// one after another), on small files with the same layout.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTiff } from '../../src-main/tiff/open-tiff';
import { runPython, tempDir } from '../helpers/python';
import { expectPlane } from './fixtures';
import { pageSpec, pixels } from './synthetic';
import { asciiEntry, writeTiff } from './tiff-writer';

const tmp = tempDir('fibrecon-tiff-imagej-');
afterAll(() => tmp.cleanup());

const W = 23;
const H = 17;
const N = 5;
const planes = Array.from({ length: N }, (_, i) => pixels(W, H, 16, 40 + i) as Uint16Array);

/** One IFD for plane 0; the single "strip" payload holds all N planes back to back (big-endian, as ImageJ writes). */
function imageJFile(name: string, rowsPerStrip: number, images = N): string {
  const joined = new Uint16Array(W * H * N);
  planes.forEach((p, i) => joined.set(p, i * W * H));
  const spec = pageSpec({ width: W, height: H, bits: 16, littleEndian: false, codec: 'none' }, joined.subarray(0, W * H), [
    asciiEntry(270, `ImageJ=1.54f\nimages=${images}\nslices=${images}\nunit=nm\nspacing=10.0\nloop=false\n`),
  ]);
  // all planes as one payload; strips of plane 0 listed as ImageJ lists them
  const bytes = new Uint8Array(joined.length * 2);
  const dv = new DataView(bytes.buffer);
  joined.forEach((v, i) => dv.setUint16(2 * i, v, false));
  const stripBytes = rowsPerStrip * W * 2;
  const strips = Math.ceil(H / rowsPerStrip);
  spec.chunks = [bytes];
  spec.byteCounts = Array.from({ length: strips }, (_, k) => Math.min(stripBytes, W * H * 2 - k * stripBytes));
  spec.entries = spec.entries.map((e) => (e.tag === 278 ? { ...e, values: [rowsPerStrip] } : e));
  const file = writeTiff([spec], { littleEndian: false });
  // the writer lists one offset for the one payload: add the other strips of plane 0
  const path = join(tmp.dir, name);
  writeFileSync(path, file);
  if (strips > 1) patchStripOffsets(path, strips, stripBytes);
  return path;
}

/** Rewrites StripOffsets of a one-strip file to `strips` contiguous strips, using tifffile-independent python struct code. */
function patchStripOffsets(path: string, strips: number, stripBytes: number): void {
  runPython(
    `
import struct, sys
path, n, sb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
b = bytearray(open(path, 'rb').read())
ifd = struct.unpack('>I', b[4:8])[0]
cnt = struct.unpack('>H', b[ifd:ifd + 2])[0]
entries = {}
for i in range(cnt):
    at = ifd + 2 + 12 * i
    tag, typ, count = struct.unpack('>HHI', b[at:at + 8])
    entries[tag] = at
first = struct.unpack('>I', b[entries[273] + 8:entries[273] + 12])[0]
# append the new offset array at the end of the file and point the tag at it
arr = struct.pack('>%dI' % n, *[first + k * sb for k in range(n)])
where = len(b) + (len(b) % 2)
b += b'\\0' * (where - len(b)) + arr
struct.pack_into('>HHII', b, entries[273], 273, 4, n, where)
open(path, 'wb').write(bytes(b))
`,
    [path, String(strips), String(stripBytes)],
  );
}

describe('ImageJ > 4 GiB layout', () => {
  it.each([
    ['one strip per plane', H],
    ['several strips per plane', 4],
  ])('%s: synthesises all 5 pages; tifffile agrees', async (_label, rps) => {
    const path = imageJFile(`ij_rps${rps}.tif`, rps);
    const tf = JSON.parse(
      runPython(
        `
import json, sys, tifffile
with tifffile.TiffFile(sys.argv[1]) as t:
    a = t.asarray()
    print(json.dumps({'ifds': len(t.pages), 'shape': list(a.shape), 'sum': int(a.astype('int64').sum())}))
`,
        [path],
      ),
    ) as { ifds: number; shape: number[]; sum: number };
    expect(tf.ifds).toBe(1);
    expect(tf.shape).toEqual([N, H, W]);
    expect(tf.sum).toBe(planes.reduce((s, p) => s + p.reduce((a, v) => a + v, 0), 0));
    const tiff = await openTiff(path);
    try {
      expect(tiff.pages.length).toBe(N);
      expect(tiff.byteOrder).toBe('BE');
      expect(tiff.notices.join(' ')).toMatch(/ImageJ large-stack layout: 5 images/);
      expect(tiff.pages[3].ifdOffset).toBeUndefined();
      for (let i = 0; i < N; i++) expectPlane(await tiff.readPage(i), planes[i], W, H, 'uint16');
      const crop = await tiff.readPage(4, { crop: { x: 2, y: 5, width: 7, height: 6 } });
      expect(Array.from(crop.data.subarray(0, 7))).toEqual(Array.from(planes[4].subarray(5 * W + 2, 5 * W + 9)));
    } finally {
      await tiff.close();
    }
  });

  it('a truncated file says how many complete planes are really there', async () => {
    const path = imageJFile('ij_cut.tif', H, 8); // says 8 images, holds 5 (then IFD bytes)
    const err = await openTiff(path).catch((e: unknown) => e);
    expect(err).toMatchObject({ tag: 'corrupt_file', file: path });
    expect((err as Error).message).toMatch(/^ij_cut\.tif is truncated: its ImageJ description says 8 images .* room for 5 complete images/);
  });

  it('an ImageJ file whose IFDs all exist reads page by page (images = IFD count)', async () => {
    const path = join(tmp.dir, 'ij_all.tif');
    const specs = planes.map((p) =>
      pageSpec({ width: W, height: H, bits: 16, littleEndian: true, codec: 'none' }, p, [asciiEntry(270, `ImageJ=1.54f\nimages=${N}\nslices=${N}\n`)]),
    );
    writeFileSync(path, writeTiff(specs));
    const tiff = await openTiff(path);
    try {
      expect(tiff.pages.length).toBe(N);
      expect(tiff.pages.every((p) => p.ifdOffset !== undefined)).toBe(true);
      expect(tiff.notices).toEqual([]);
      for (let i = 0; i < N; i++) expectPlane(await tiff.readPage(i), planes[i], W, H, 'uint16');
    } finally {
      await tiff.close();
    }
  });
});
