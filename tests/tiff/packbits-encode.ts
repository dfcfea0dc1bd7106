// Test-only PackBits encoder (Apple / TIFF 32773): runs of 2..128 equal
// bytes as (1 - n, byte), the rest as literals (n - 1, bytes...), max 128.

export function encodePackBits(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    let run = 1;
    while (i + run < src.length && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 2) {
      out.push((257 - run) & 0xff, src[i]);
      i += run;
      continue;
    }
    const start = i;
    while (i < src.length && i - start < 128 && !(i + 1 < src.length && src[i + 1] === src[i])) i++;
    if (i === start) i++; // single byte before a run
    out.push(i - start - 1, ...src.subarray(start, i));
  }
  return Uint8Array.from(out);
}
