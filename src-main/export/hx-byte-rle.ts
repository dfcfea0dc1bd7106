// Amira's HxByteRLE: a byte stream of packets. Control byte c:
//   c & 0x80 -> the next (c & 0x7F) bytes are copied literally;
//   otherwise -> the next byte is repeated c times.
// (README "Conventions"; the same rule as Bio-Formats' AmiraReader HxRLE and public
// MATLAB/Python AmiraMesh label writers.) Packets are independent, so each
// slice is encoded on its own and the encoded slices are concatenated.

/** Runs shorter than this are cheaper as part of a literal packet. */
const MIN_RUN = 3;
const MAX_PACKET = 127;

export function encodeHxByteRLE(src: Uint8Array): Uint8Array {
  // Worst case: all literals, one control byte per 127 data bytes.
  const out = new Uint8Array(src.length + Math.ceil(src.length / MAX_PACKET) + 1);
  let o = 0;
  let literalStart = 0;
  const flushLiterals = (end: number): void => {
    for (let s = literalStart; s < end; s += MAX_PACKET) {
      const n = Math.min(MAX_PACKET, end - s);
      out[o++] = 0x80 | n;
      out.set(src.subarray(s, s + n), o);
      o += n;
    }
  };
  let i = 0;
  while (i < src.length) {
    const v = src[i];
    let run = 1;
    while (i + run < src.length && src[i + run] === v && run < MAX_PACKET) run++;
    if (run >= MIN_RUN) {
      flushLiterals(i);
      out[o++] = run;
      out[o++] = v;
      i += run;
      literalStart = i;
    } else {
      i += run;
    }
  }
  flushLiterals(src.length);
  return out.slice(0, o);
}

/** Decodes `expected` bytes; throws on a truncated or overlong stream. */
export function decodeHxByteRLE(src: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let i = 0;
  let o = 0;
  while (o < expected) {
    if (i >= src.length) throw new Error(`HxByteRLE stream ends after ${o} of ${expected} bytes`);
    const c = src[i++];
    const n = c & 0x7f;
    if (o + n > expected) throw new Error(`HxByteRLE packet at byte ${i - 1} runs past ${expected} bytes`);
    if (c & 0x80) {
      if (i + n > src.length) throw new Error(`HxByteRLE literal packet at byte ${i - 1} is truncated`);
      out.set(src.subarray(i, i + n), o);
      i += n;
    } else {
      out.fill(src[i++], o, o + n);
    }
    o += n;
  }
  return out;
}
