// TIFF LZW decoder (MSB-first codes of 9-12 bits with the TIFF "early
// change"), bounded on both sides: it stops at the end of the input or when
// the output is full, so corrupt or truncated strips cannot hang it.
//
// Why not utif's decoder (UTIF.decode._decodeLZW), though the project uses
// utif for PackBits: tried here (Node 20), utif's (a) loops forever when a
// strip is cut short (no EOI code: reads past the end give code 0 endlessly),
// (b) corrupts long uniform areas (its string store is a fixed 2 MB array: a
// uniform 8 MB strip came back with 5.4 M wrong bytes) and (c) takes no output
// limit. It is also 2-3.5x slower: tests/tiff/bench-lzw.ts, 4 MB strips,
// best of 7, four runs on a shared 2-core VM: SEM-like 8-bit 66-79 ms (own)
// vs 126-149 ms (utif), 16-bit 54-65 vs 128-168 ms, noise 58-79 vs
// 149-246 ms; own about 50-75 MiB/s, utif 16-32 MiB/s.
//
// Every LZW table string is a substring of the output already written, so
// each code just records where its string was written and how long it is;
// decoding a code copies those bytes forward. No string store is needed.

/**
 * Decodes `src` into `dst`; returns the number of bytes written (at most
 * dst.length). Throws Error('invalid LZW code ...') on codes that cannot occur.
 * When the data holds more than dst takes (codes other than EOI after dst is
 * full), decoding stops there and `status.overflow` is set: a strip whose size
 * is declared in the TIFF can then be refused as a decompression bomb.
 */
export function decodeLzw(src: Uint8Array, dst: Uint8Array, status?: { overflow: boolean }): number {
  const start = new Int32Array(4096); // where in dst the code's string was written
  const len = new Int32Array(4096).fill(1, 0, 256);
  const cap = dst.length;
  const n = src.length;
  let ip = 0;
  let buf = 0; // pending input bits (at most 27)
  let nbits = 0;
  let width = 9;
  let mask = 511;
  let next = 258;
  let out = 0;
  let old = -1;
  for (;;) {
    if (nbits < width) {
      if (ip + 1 < n) {
        buf = ((buf << 16) | (src[ip] << 8) | src[ip + 1]) >>> 0;
        ip += 2;
        nbits += 16;
      } else if (ip < n) {
        buf = ((buf << 8) | src[ip++]) >>> 0;
        nbits += 8;
        if (nbits < width) return out; // no EOI: accept what was decoded
      } else {
        return out;
      }
    }
    nbits -= width;
    const code = (buf >>> nbits) & mask;
    buf &= (1 << nbits) - 1;
    if (code < 256) {
      if (out >= cap) return overflow(status, out);
      if (old >= 0 && next < 4096) {
        // new entry: the previous string (written just before) + this byte
        start[next] = out - len[old];
        len[next] = len[old] + 1;
        if (++next === mask && width < 12) {
          width++;
          mask = (mask << 1) | 1;
        }
      }
      dst[out++] = code;
      old = code;
      continue;
    }
    if (code === 256) {
      width = 9;
      mask = 511;
      next = 258;
      old = -1;
      continue;
    }
    if (code === 257) return out; // EOI
    if (old < 0) throw new Error(`invalid LZW code ${code} after a clear code`);
    const at = out;
    let s: number;
    let l: number;
    if (code < next) {
      s = start[code];
      l = len[code];
    } else if (code === next && next < 4096) {
      s = at - len[old]; // KwKwK: previous string + its own first byte, copied forwards below
      l = len[old] + 1;
    } else {
      throw new Error(`invalid LZW code ${code} (table holds ${next})`);
    }
    if (next < 4096) {
      start[next] = at - len[old];
      len[next] = len[old] + 1;
      if (++next === mask && width < 12) {
        width++;
        mask = (mask << 1) | 1;
      }
    }
    if (out + l > cap) {
      l = cap - out;
      for (let k = 0; k < l; k++) dst[out + k] = dst[s + k];
      return overflow(status, cap);
    }
    if (l < 32 || s + l > at) {
      for (let k = 0; k < l; k++) dst[out + k] = dst[s + k]; // forwards: right for the overlapping KwKwK case
    } else {
      dst.copyWithin(out, s, s + l);
    }
    out += l;
    old = code;
  }
}

function overflow(status: { overflow: boolean } | undefined, written: number): number {
  if (status) status.overflow = true;
  return written;
}
