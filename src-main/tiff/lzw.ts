// TIFF LZW decoder (MSB-first codes of 9-12 bits with the TIFF "early
// change"), bounded on both sides: it stops at the end of the input or when
// the output is full, so corrupt or truncated strips cannot hang it.
//
// Why not utif's decoder (UTIF.decode._decodeLZW), which the project uses for
// PackBits: measured here (Node 20) it (a) loops forever when a strip is cut
// short (no EOI code: reads past the end give code 0 endlessly), (b) corrupts
// long uniform areas (its string store is a fixed 2 MB array; a uniform
// 8 MB strip decoded to 5.4 M wrong bytes) and (c) takes no output limit.
// This decoder copies each string from where it was last written in the
// output (every LZW table string is a substring of the output), so it needs
// no string store; it is about as fast as utif's on noisy data (see
// tests/tiff/bench-read.ts).

/**
 * Decodes `src` into `dst`; returns the number of bytes written (at most
 * dst.length). Throws Error('invalid LZW code ...') on codes that cannot occur.
 */
export function decodeLzw(src: Uint8Array, dst: Uint8Array): number {
  const start = new Int32Array(4096); // where in dst the code's string was last written
  const len = new Int32Array(4096).fill(1, 0, 256);
  const cap = dst.length;
  const n = src.length;
  let ip = 0;
  let buf = 0;
  let nbits = 0;
  let width = 9;
  let next = 258;
  let out = 0;
  let old = -1;
  for (;;) {
    while (nbits < width) {
      if (ip >= n) return out; // no EOI: accept what was decoded
      buf = ((buf << 8) | src[ip++]) & 0xffffff;
      nbits += 8;
    }
    nbits -= width;
    const code = (buf >>> nbits) & ((1 << width) - 1);
    if (code === 257) return out; // EOI
    if (code === 256) {
      width = 9;
      next = 258;
      old = -1;
      continue;
    }
    if (old === -1) {
      if (code > 255) throw new Error(`invalid LZW code ${code} after a clear code`);
      if (out >= cap) return out;
      dst[out++] = code;
      old = code;
      continue;
    }
    const at = out;
    let s: number; // where to copy the string from
    let l: number;
    let kwk = false;
    if (code < 256) {
      s = -1;
      l = 1;
    } else if (code < next) {
      s = start[code];
      l = len[code];
    } else if (code === next && next < 4096) {
      s = at - len[old]; // KwKwK: old string (written just before) + its own first byte
      l = len[old] + 1;
      kwk = true;
    } else {
      throw new Error(`invalid LZW code ${code} (table holds ${next})`);
    }
    if (next < 4096) {
      // new entry: old string followed by the first byte of this one; old was written just before `at`
      start[next] = at - len[old];
      len[next] = len[old] + 1;
      next++;
      if (next === 511) width = 10;
      else if (next === 1023) width = 11;
      else if (next === 2047) width = 12;
    }
    if (s < 0) {
      if (out >= cap) return out;
      dst[out++] = code;
    } else {
      const m = Math.min(l, cap - out);
      if (m < 16 || kwk) {
        for (let k = 0; k < m; k++) dst[out + k] = dst[s + k]; // forwards, so KwKwK reads its own first byte
      } else {
        dst.copyWithin(out, s, s + m);
      }
      out += m;
      if (m < l) return out;
    }
    old = code;
  }
}
