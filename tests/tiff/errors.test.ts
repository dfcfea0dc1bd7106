// Files fibrecon must refuse, each with a tagged error naming the file:
// not a TIFF, truncated or corrupt, and valid TIFFs of unsupported kinds.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTiff } from '../../src-main/tiff/open-tiff';
import { tempDir } from '../helpers/python';
import { makeFixtures, type FixtureSet } from './fixtures';
import { pageSpec, pixels } from './synthetic';
import { basicEntries, writeTiff, type Entry } from './tiff-writer';

const tmp = tempDir('fibrecon-tiff-errors-');
let set: FixtureSet;
beforeAll(() => {
  mkdirSync(join(tmp.dir, 'fx'));
  set = makeFixtures(join(tmp.dir, 'fx'));
});
afterAll(() => tmp.cleanup());

function file(name: string, bytes: Uint8Array): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** The error openTiff + readPage(0) ends in (undefined when both succeed). */
async function failure(path: string): Promise<{ tag: string; message: string; file?: string; at: 'open' | 'read' } | undefined> {
  let tiff;
  try {
    tiff = await openTiff(path);
  } catch (e) {
    return { ...(e as { tag: string; message: string; file?: string }), message: (e as Error).message, at: 'open' };
  }
  try {
    for (let i = 0; i < tiff.pages.length; i++) await tiff.readPage(i);
    return undefined;
  } catch (e) {
    return { ...(e as { tag: string; message: string; file?: string }), message: (e as Error).message, at: 'read' };
  } finally {
    await tiff.close();
  }
}

const grey16 = () => pageSpec({ width: 30, height: 20, bits: 16, littleEndian: true, codec: 'none' }, pixels(30, 20, 16, 1));

describe('not a TIFF', () => {
  it('a PNG is refused as corrupt_file, showing how it starts', async () => {
    const p = file('scan.png.tif', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const f = await failure(p);
    expect(f).toMatchObject({ tag: 'corrupt_file', file: p, at: 'open' });
    expect(f!.message).toMatch(/^scan\.png\.tif is not a TIFF file \(it starts with 89 50 4e 47 0d 0a 1a 0a "\.PNG\.\.\.\."/);
  });

  it('an empty file, and II with a wrong magic number', async () => {
    expect((await failure(file('empty.tif', new Uint8Array(0))))!.message).toMatch(/^empty\.tif is empty \(0 bytes\)/);
    const wrong = file('wrong.tif', Uint8Array.from([0x49, 0x49, 41, 0, 8, 0, 0, 0]));
    expect(await failure(wrong)).toMatchObject({ tag: 'corrupt_file', message: expect.stringMatching(/^wrong\.tif is not a TIFF/) });
  });

  it('a missing file is file_not_found; a folder is invalid_input', async () => {
    await expect(openTiff(join(tmp.dir, 'nope.tif'))).rejects.toMatchObject({ tag: 'file_not_found', message: expect.stringContaining('nope.tif') });
    await expect(openTiff(join(tmp.dir, 'fx'))).rejects.toMatchObject({ tag: 'invalid_input', message: expect.stringMatching(/fx is a folder, not a TIFF file/) });
  });
});

describe('truncated and corrupt', () => {
  it('a cut single-page file names the strip, where it ends and the file size', async () => {
    const src = readFileSync(set.fixtures.find((f) => f.name === 'u16_rps5')!.tif); // tifffile: IFD first, then strips
    const cut = file('slice_0003.tif', src.subarray(0, src.length - 700));
    const f = await failure(cut);
    expect(f).toMatchObject({ tag: 'corrupt_file', file: cut, at: 'read' });
    expect(f!.message).toMatch(
      new RegExp(`^slice_0003\\.tif is truncated: strip \\d+ ends at byte \\d+ but the file has ${src.length - 700} bytes; copy the file again`),
    );
  });

  it('a cut multipage file (later IFDs missing) is refused on open', async () => {
    const src = readFileSync(set.fixtures.find((f) => f.name === 'u16_multipage')!.tif);
    const f = await failure(file('stack_cut.tif', src.subarray(0, Math.floor(src.length / 2))));
    expect(f).toMatchObject({ tag: 'corrupt_file', at: 'open' });
    expect(f!.message).toMatch(/^stack_cut\.tif is truncated: .*image 2.*but the file has \d+ bytes/);
  });

  it('an IFD chain that loops back is refused', async () => {
    const bytes = writeTiff([grey16(), grey16()]);
    const path = file('loop.tif', bytes);
    const t = await openTiff(path);
    const [a, b] = t.pages.map((p) => p.ifdOffset!);
    await t.close();
    // page 2's "next IFD" field points back at page 1
    const dv = new DataView(bytes.buffer);
    const n = dv.getUint16(b, true);
    dv.setUint32(b + 2 + 12 * n, a, true);
    const f = await failure(file('loop.tif', bytes));
    expect(f).toMatchObject({ tag: 'corrupt_file', at: 'open' });
    expect(f!.message).toMatch(/^loop\.tif is corrupt: its list of images loops back to byte \d+ after 2 images/);
  });

  it('an IFD offset beyond the end of the file', async () => {
    const bytes = writeTiff([grey16()]);
    new DataView(bytes.buffer).setUint32(4, bytes.length + 1000, true);
    expect(await failure(file('far.tif', bytes))).toMatchObject({
      tag: 'corrupt_file',
      message: expect.stringMatching(/^far\.tif is truncated: the directory of image 1 starts at byte \d+ but the file has/),
    });
  });

  it('garbage in an LZW strip and in a Deflate strip', async () => {
    const lzw = pageSpec({ width: 40, height: 30, bits: 8, littleEndian: true, codec: 'lzw' }, pixels(40, 30, 8, 3));
    lzw.chunks = [lzw.chunks[0].map((v, i) => (i > 2 ? (v * 7 + 13) & 0xff : v))];
    const f1 = await failure(file('bad_lzw.tif', writeTiff([lzw])));
    expect(f1).toMatchObject({ tag: 'corrupt_file', at: 'read' });
    expect(f1!.message).toMatch(/^bad_lzw\.tif is corrupt: strip 1 (cannot be decompressed \(LZW|decompresses to \d+ bytes but 1200 are needed)/);

    const src = readFileSync(set.fixtures.find((f) => f.name === 'u16_zlib')!.tif);
    const t = await openTiff(set.fixtures.find((f) => f.name === 'u16_zlib')!.tif);
    const off = t.pages[0].dataOffsets[0];
    await t.close();
    const broken = Uint8Array.from(src);
    broken.fill(0xff, off + 2, off + 40);
    const f2 = await failure(file('bad_zlib.tif', broken));
    expect(f2).toMatchObject({ tag: 'corrupt_file', at: 'read' });
    expect(f2!.message).toMatch(/^bad_zlib\.tif is corrupt: strip 1 cannot be decompressed \(Deflate: /);
  });

  it('an LZW strip that ends early (short decompressed data)', async () => {
    const spec = pageSpec({ width: 40, height: 30, bits: 8, littleEndian: true, codec: 'lzw' }, pixels(40, 30, 8, 3));
    spec.chunks = [spec.chunks[0].subarray(0, 200)];
    expect(await failure(file('short_lzw.tif', writeTiff([spec])))).toMatchObject({
      tag: 'corrupt_file',
      message: expect.stringMatching(/^short_lzw\.tif is corrupt: strip 1 decompresses to \d+ bytes but 1200 are needed/),
    });
  });

  it('a size tag claiming 40000 x 40000 pixels is refused before any plane is allocated', async () => {
    const claim = (compression: number) =>
      writeTiff([{ entries: basicEntries({ width: 40000, height: 40000, bits: 16, compression }), chunks: [new Uint8Array(5000)] }]);
    const before = process.memoryUsage().arrayBuffers;
    const raw = await failure(file('huge_raw.tif', claim(1)));
    expect(raw).toMatchObject({ tag: 'corrupt_file', at: 'read' });
    expect(raw!.message).toMatch(/^huge_raw\.tif is truncated: strip 1 ends at byte 3200000008 but the file has \d+ bytes/);
    const zip = await failure(file('huge_zip.tif', claim(8)));
    expect(zip).toMatchObject({ tag: 'corrupt_file', at: 'read' });
    expect(zip!.message).toMatch(/^huge_zip\.tif is corrupt: strip 1 holds 5000 compressed bytes, too few for the 3200000000 bytes/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(100 << 20);
  });
});

describe('unsupported kinds (open works, reading refuses)', () => {
  it.each([
    ['bilevel', /^bilevel\.tif is a 1-bit \(black and white\) image; fibrecon needs 8 or 16 bit grey: export the stack as 8\/16-bit grey TIFF from Fiji/],
    ['float32', /^float32\.tif holds 32-bit floating-point samples; fibrecon needs 8 or 16 bit grey/],
    ['int16', /^int16\.tif holds signed 16-bit integer samples/],
    ['uint32', /^uint32\.tif is a 32-bit image; fibrecon needs 8 or 16 bit grey/],
  ])('%s', async (name, re) => {
    const f = await failure(set.unsupported[name]);
    expect(f).toMatchObject({ tag: 'unsupported_format', file: set.unsupported[name], at: 'read' });
    expect(f!.message).toMatch(re);
  });

  const crafted = (name: string, entries: Entry[]) =>
    file(name, writeTiff([{ entries, chunks: [new Uint8Array(30 * 20 * 2)] }]));

  it.each([
    ['twelve.tif', { bits: 12 }, /^twelve\.tif is a 12-bit image/],
    ['jpeg.tif', { bits: 8, compression: 7 }, /^jpeg\.tif is compressed with JPEG \(TIFF compression 7\), which fibrecon does not read; save it uncompressed or with LZW or Deflate/],
    ['zstd.tif', { bits: 16, compression: 50000 }, /^zstd\.tif is compressed with Zstandard \(TIFF compression 50000\)/],
    ['cmyk.tif', { bits: 8, spp: 4, photometric: 5 }, /^cmyk\.tif stores colours as CMYK/],
    ['fpred.tif', { bits: 16, compression: 8, predictor: 3 }, /^fpred\.tif uses TIFF predictor 3/],
  ])('%s', async (name, p, re) => {
    const path = crafted(name, basicEntries({ width: 30, height: 20, ...(p as { bits: number }) }));
    const f = await failure(path);
    expect(f).toMatchObject({ tag: 'unsupported_format', file: path, at: 'read' });
    expect(f!.message).toMatch(re);
  });
});

describe('bad requests', () => {
  it('crops outside the image and page numbers that do not exist are invalid_input', async () => {
    const t = await openTiff(set.fixtures.find((f) => f.name === 'u16_le')!.tif); // 61 x 48
    try {
      for (const crop of [
        { x: 0, y: 0, width: 62, height: 1 },
        { x: -1, y: 0, width: 2, height: 2 },
        { x: 60, y: 47, width: 2, height: 1 },
        { x: 0, y: 0, width: 0, height: 5 },
        { x: 0.5, y: 0, width: 2, height: 2 },
      ]) {
        await expect(t.readPage(0, { crop })).rejects.toMatchObject({ tag: 'invalid_input', message: expect.stringContaining('u16_le.tif (61 x 48 pixels)') });
      }
      await expect(t.readPage(1)).rejects.toMatchObject({ tag: 'invalid_input', message: 'Page index 1 is out of range: u16_le.tif has 1 image (indices 0 to 0).' });
      await expect(t.readPage(-1)).rejects.toMatchObject({ tag: 'invalid_input' });
    } finally {
      await t.close();
    }
  });
});

