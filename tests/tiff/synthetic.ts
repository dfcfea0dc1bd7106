// Test-only image builders: deterministic pixels and the strips/tiles of a
// TIFF encoded like a writer would (byte order, predictor, compression).
import { encodeLzw } from './lzw-encode';
import { encodePackBits } from './packbits-encode';
import { basicEntries, type Entry, type PageSpec } from './tiff-writer';

import { random as rng } from '../helpers/random';

export { rng };

/** Smooth structure plus noise plus a uniform block: exercises short and long LZW strings. */
export function pixels(width: number, height: number, bits: 8 | 16, seed: number, spp = 1): Uint8Array | Uint16Array {
  const r = rng(seed);
  const max = bits === 8 ? 255 : 65535;
  const a = bits === 8 ? new Uint8Array(width * height * spp) : new Uint16Array(width * height * spp);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let s = 0; s < spp; s++) {
        const uniform = x > width / 2 && y > height / 2;
        const v = uniform ? max * 0.3 : max * (0.5 + 0.3 * Math.sin((x + 3 * s) / 7) * Math.cos(y / 5)) + (r() - 0.5) * max * 0.1;
        a[(y * width + x) * spp + s] = Math.max(0, Math.min(max, Math.round(v)));
      }
    }
  }
  return a;
}

export type Codec = 'none' | 'lzw' | 'packbits';
const CODE: Record<Codec, number> = { none: 1, lzw: 5, packbits: 32773 };

export interface ChunkedImage {
  width: number;
  height: number;
  bits: 8 | 16;
  spp?: number;
  littleEndian: boolean;
  codec: Codec;
  predictor?: boolean;
  rowsPerStrip?: number;
  tile?: number;
  photometric?: number;
}

/** Bytes of rows [y0, y0+rows) x cols [x0, x0+w) (zero outside the image), predictor and byte order applied. */
function chunkBytes(img: ChunkedImage, data: Uint8Array | Uint16Array, x0: number, y0: number, w: number, rows: number): Uint8Array {
  const spp = img.spp ?? 1;
  const bs = img.bits / 8;
  const out = new Uint8Array(w * rows * spp * bs);
  const dv = new DataView(out.buffer);
  const max = img.bits === 8 ? 0xff : 0xffff;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < w * spp; c++) {
      const x = x0 + Math.floor(c / spp);
      const s = c % spp;
      const y = y0 + r;
      const get = (xx: number) => (xx < img.width && y < img.height ? data[(y * img.width + xx) * spp + s] : 0);
      let v = get(x);
      if (img.predictor && c >= spp) v = (v - get(x - 1)) & max;
      const at = (r * w * spp + c) * bs;
      if (bs === 1) out[at] = v;
      else dv.setUint16(at, v, img.littleEndian);
    }
  }
  return out;
}

function compress(codec: Codec, b: Uint8Array): Uint8Array {
  return codec === 'lzw' ? encodeLzw(b) : codec === 'packbits' ? encodePackBits(b) : b;
}

/** One page (tags and encoded chunks) of `data`. */
export function pageSpec(img: ChunkedImage, data: Uint8Array | Uint16Array, extra: Entry[] = []): PageSpec {
  const entries = [
    ...basicEntries({
      width: img.width, height: img.height, bits: img.bits, spp: img.spp, photometric: img.photometric,
      compression: CODE[img.codec], predictor: img.predictor ? 2 : undefined, rowsPerStrip: img.rowsPerStrip,
    }),
    ...extra,
  ];
  const chunks: Uint8Array[] = [];
  if (img.tile) {
    const t = img.tile;
    entries.push({ tag: 322, type: 3, values: [t] }, { tag: 323, type: 3, values: [t] });
    for (let y = 0; y < img.height; y += t) for (let x = 0; x < img.width; x += t) chunks.push(compress(img.codec, chunkBytes(img, data, x, y, t, t)));
    return { entries: entries.filter((e) => e.tag !== 278), chunks, offsetsTag: 324 };
  }
  const rps = img.rowsPerStrip ?? img.height;
  for (let y = 0; y < img.height; y += rps) chunks.push(compress(img.codec, chunkBytes(img, data, 0, y, img.width, Math.min(rps, img.height - y))));
  return { entries, chunks };
}
