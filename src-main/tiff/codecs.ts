// Decompression of one LZW or PackBits strip or tile.
//
// Who does what in the TIFF reader and why:
// - utif (the project's TIFF library): the PackBits codec
//   (UTIF.decode._decodePackBits). utif's container code is not used: it
//   needs the whole file in memory (Node cannot read files over 2 GiB into
//   one buffer) and reads no BigTIFF.
// - own code: container parsing by byte ranges (ifd.ts, page.ts, imagej.ts),
//   strip/tile assembly (read-plane.ts), and LZW (lzw.ts: utif's LZW hangs on
//   truncated strips and corrupts long uniform runs; see the comment there).
// - node:zlib: Deflate (8 and 32946), native and faster than utif's bundled
//   pako, inflated on zlib's thread pool in chunk-source.ts (not here).
import { createRequire } from 'node:module';
import { decodeLzw } from './lzw';

interface UtifCodecs {
  decode: {
    _decodePackBits(data: Uint8Array, off: number, len: number, tgt: Uint8Array, toff: number): void;
  };
}

const UTIF = createRequire(import.meta.url)('utif') as UtifCodecs;

/** Bytes PackBits data expands to (a scan of the run headers only). */
export function packBitsLength(src: Uint8Array): number {
  let n = 0;
  let i = 0;
  while (i < src.length) {
    const h = src[i] > 127 ? src[i] - 256 : src[i];
    if (h >= 0) {
      n += h + 1;
      i += h + 2;
    } else if (h !== -128) {
      n += 1 - h;
      i += 2;
    } else {
      i += 1;
    }
  }
  return n;
}

/**
 * Decompresses `src` into `dst` (which must start at offset 0 of its
 * ArrayBuffer: utif's PackBits addresses the buffer directly). Returns the
 * number of bytes produced, which may be less than dst.length (then the caller
 * decides whether that is enough) but never more; `overflow` is true when the
 * data would have produced more than dst.length bytes (decoding stopped there).
 */
export function decompress(compression: number, src: Uint8Array, dst: Uint8Array): { produced: number; overflow: boolean } {
  switch (compression) {
    case 5: {
      const status = { overflow: false };
      const produced = decodeLzw(src, dst, status);
      return { produced, overflow: status.overflow };
    }
    case 32773: {
      if (dst.byteOffset !== 0) throw new Error('PackBits target must start its buffer');
      // utif views data.buffer from 0 and writes past toff without limit: decode only data that fits dst (the runs are counted first).
      const total = packBitsLength(src);
      if (total > dst.length) return { produced: 0, overflow: true };
      utifPackBits(src, dst);
      return { produced: total, overflow: false };
    }
    default:
      throw new Error(`compression ${compression} has no decoder`);
  }
}

function utifPackBits(src: Uint8Array, dst: Uint8Array): void {
  UTIF.decode._decodePackBits(src, src.byteOffset, src.length, dst, 0);
}
