// LZW and PackBits, which tifffile cannot write here: files built with the
// test encoders, checked to decode in an independent decoder (tifffile for
// PackBits, Pillow/libtiff for LZW) to the source pixels, and then read by fibrecon to the same pixels.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLzw } from '../../src-main/tiff/lzw';
import { openTiff } from '../../src-main/tiff/open-tiff';
import { runPython, tempDir } from '../helpers/python';
import { encodeLzw } from './lzw-encode';
import { expectPlane } from './fixtures';
import { pageSpec, pixels, rng, type ChunkedImage } from './synthetic';
import { writeTiff } from './tiff-writer';

interface Case {
  name: string;
  img: ChunkedImage;
  pages: number;
  data?: (Uint8Array | Uint16Array)[];
}

const CASES: Case[] = [
  { name: 'lzw_u8_le_rps7', img: { width: 53, height: 40, bits: 8, littleEndian: true, codec: 'lzw', rowsPerStrip: 7 }, pages: 1 },
  { name: 'lzw_u16_be_pred_rps10', img: { width: 61, height: 33, bits: 16, littleEndian: false, codec: 'lzw', predictor: true, rowsPerStrip: 10 }, pages: 1 },
  { name: 'lzw_u16_le_pred_multipage', img: { width: 30, height: 20, bits: 16, littleEndian: true, codec: 'lzw', predictor: true }, pages: 4 },
  { name: 'lzw_u16_le_tiles16', img: { width: 45, height: 37, bits: 16, littleEndian: true, codec: 'lzw', tile: 16 }, pages: 1 },
  { name: 'lzw_u8_be_pred_tiles16', img: { width: 45, height: 37, bits: 8, littleEndian: false, codec: 'lzw', tile: 16, predictor: true }, pages: 1 },
  { name: 'lzw_rgb8_pred', img: { width: 29, height: 23, bits: 8, spp: 3, photometric: 2, littleEndian: true, codec: 'lzw', predictor: true }, pages: 1 },
  { name: 'packbits_u8_rps5', img: { width: 70, height: 31, bits: 8, littleEndian: true, codec: 'packbits', rowsPerStrip: 5 }, pages: 1 },
  { name: 'packbits_u16_be', img: { width: 40, height: 31, bits: 16, littleEndian: false, codec: 'packbits' }, pages: 2 },
  { name: 'packbits_u8_tiles16', img: { width: 45, height: 37, bits: 8, littleEndian: true, codec: 'packbits', tile: 16 }, pages: 1 },
  // one 2.4 MB strip of a single value: LZW strings up to ~3800 bytes long
  {
    name: 'lzw_u8_uniform_big',
    img: { width: 1600, height: 1500, bits: 8, littleEndian: true, codec: 'lzw' },
    pages: 1,
    data: [new Uint8Array(1600 * 1500).fill(77)],
  },
];

const tmp = tempDir('fibrecon-tiff-lzw-');
const fromReference = new Map<string, Buffer>();
const decoderOf = new Map<string, string>();

beforeAll(() => {
  for (const c of CASES) {
    c.data ??= Array.from({ length: c.pages }, (_, i) => pixels(c.img.width, c.img.height, c.img.bits, 100 + i, c.img.spp));
    const bytes = writeTiff(c.data.map((d) => pageSpec(c.img, d)), { littleEndian: c.img.littleEndian });
    writeFileSync(join(tmp.dir, `${c.name}.tif`), bytes);
  }
  // An independent decoder dumps each file's pixels, little-endian: tifffile
  // (PackBits); for LZW, which tifffile reads only with imagecodecs (absent
  // from Debian), Pillow (python3-pil, libtiff's decoder).
  const script = `
import json, sys, numpy as np, tifffile
used = {}
for path in sys.argv[1:]:
    try:
        a = tifffile.imread(path)
        used[path] = 'tifffile'
    except ValueError as e:
        if 'imagecodecs' not in str(e):
            raise
        from PIL import Image, ImageSequence
        with Image.open(path) as im:
            a = np.stack([np.array(f) for f in ImageSequence.Iterator(im)])
        used[path] = 'pillow'
    a.astype(a.dtype.newbyteorder('<')).tofile(path + '.ref.raw')
print(json.dumps(used))
`;
  const used = JSON.parse(runPython(script, CASES.map((c) => join(tmp.dir, `${c.name}.tif`)))) as Record<string, string>;
  for (const c of CASES) decoderOf.set(c.name, used[join(tmp.dir, `${c.name}.tif`)]);
  for (const c of CASES) fromReference.set(c.name, readFileSync(join(tmp.dir, `${c.name}.tif.ref.raw`)));
});
afterAll(() => tmp.cleanup());

function luma(rgb: Uint8Array | Uint16Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2] + 0.5);
  return out;
}

describe('LZW and PackBits fixtures', () => {
  it.each(CASES.map((c) => c.name))('%s: the reference decoder and fibrecon both give the source pixels', async (name) => {
    const c = CASES.find((x) => x.name === name)!;
    const src = c.data!;
    // 1. the fixture is valid: an independent decoder gives back exactly the source
    expect(decoderOf.get(name)).toBe(c.img.codec === 'lzw' ? 'pillow' : 'tifffile');
    const tf = fromReference.get(name)!;
    const all = c.img.bits === 8 ? new Uint8Array(tf) : new Uint16Array(tf.buffer.slice(tf.byteOffset, tf.byteOffset + tf.length));
    const joined = c.img.bits === 8 ? new Uint8Array(src.reduce((n, a) => n + a.length, 0)) : new Uint16Array(src.reduce((n, a) => n + a.length, 0));
    src.forEach((a, i) => joined.set(a, i * a.length));
    expect(Buffer.from(all.buffer, all.byteOffset, all.byteLength).equals(Buffer.from(joined.buffer))).toBe(true);
    // 2. fibrecon reads the same
    const tiff = await openTiff(join(tmp.dir, `${name}.tif`));
    try {
      expect(tiff.pages.length).toBe(c.pages);
      expect(tiff.pages[0].compression).toBe(c.img.codec === 'lzw' ? 5 : 32773);
      const n = c.img.width * c.img.height;
      for (let i = 0; i < c.pages; i++) {
        const plane = await tiff.readPage(i);
        const want = c.img.spp === 3 ? luma(src[i], n) : src[i];
        expectPlane(plane, want, c.img.width, c.img.height, c.img.bits === 8 ? 'uint8' : 'uint16');
      }
    } finally {
      await tiff.close();
    }
  });
});

describe('decodeLzw', () => {
  const r = rng(7);
  const noise = Uint8Array.from({ length: 200_000 }, () => Math.floor(r() * 256));

  it('round-trips noise (table resets with Clear codes) and a long uniform run', () => {
    for (const src of [noise, new Uint8Array(3_000_000).fill(200)]) {
      const dst = new Uint8Array(src.length);
      expect(decodeLzw(encodeLzw(src), dst)).toBe(src.length);
      expect(Buffer.from(dst).equals(Buffer.from(src))).toBe(true);
    }
  });

  it('stops at the end of a cut stream (no EOI) instead of hanging, keeping the decoded prefix', () => {
    const enc = encodeLzw(noise);
    const dst = new Uint8Array(noise.length);
    const n = decodeLzw(enc.subarray(0, 5000), dst);
    expect(n).toBeGreaterThan(1000);
    expect(n).toBeLessThan(noise.length);
    expect(Buffer.from(dst.subarray(0, n - 20)).equals(Buffer.from(noise.subarray(0, n - 20)))).toBe(true);
  });

  it('never writes past the output and rejects impossible codes', () => {
    const small = new Uint8Array(100);
    expect(decodeLzw(encodeLzw(noise), small)).toBe(100);
    expect(Buffer.from(small).equals(Buffer.from(noise.subarray(0, 100)))).toBe(true);
    // Clear, then code 300 (9 bits) which no table holds yet
    expect(() => decodeLzw(Uint8Array.from([0x80, 0x4b, 0x00, 0x00]), new Uint8Array(10))).toThrow(/invalid LZW code/);
  });
});
