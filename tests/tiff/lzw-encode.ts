// Test-only TIFF LZW encoder (MSB-first codes, 9-12 bits, "early change" as
// libtiff writes it: the width grows when the next free code passes
// 2^width - 1, Clear when the table is full). Used to build LZW fixtures that
// tifffile (an independent decoder) must decode to the same pixels.

export function encodeLzw(src: Uint8Array): Uint8Array {
  const CLEAR = 256;
  const EOI = 257;
  const out: number[] = [];
  let acc = 0; // pending bits
  let nacc = 0;
  let width = 9;
  const put = (code: number) => {
    acc = (acc << width) | code;
    nacc += width;
    while (nacc >= 8) {
      out.push((acc >>> (nacc - 8)) & 0xff);
      nacc -= 8;
    }
    acc &= (1 << nacc) - 1;
  };
  let table = new Map<number, number>(); // (prefix << 8 | byte) -> code
  let next = 258;
  const reset = () => {
    table = new Map();
    next = 258;
    width = 9;
  };
  put(CLEAR);
  if (src.length === 0) {
    put(EOI);
  } else {
    let prefix = src[0];
    for (let i = 1; i < src.length; i++) {
      const c = src[i];
      const key = prefix * 256 + c;
      const hit = table.get(key);
      if (hit !== undefined) {
        prefix = hit;
        continue;
      }
      put(prefix);
      table.set(key, next++);
      if (next > (1 << width) - 1 && width < 12) width++;
      if (next >= 4094) {
        put(CLEAR);
        reset();
      }
      prefix = c;
    }
    put(prefix);
    next++;
    if (next > (1 << width) - 1 && width < 12) width++;
    put(EOI);
  }
  if (nacc > 0) out.push((acc << (8 - nacc)) & 0xff);
  return Uint8Array.from(out);
}
