// Two grey planes of one size interleaved in square blocks (pure): where the
// channels are aligned, edges run straight across the block borders.
export function checkerboard(a: Uint8Array, b: Uint8Array, width: number, height: number, block: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const by = Math.floor(y / block);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      out[i] = (by + Math.floor(x / block)) % 2 === 0 ? a[i] : b[i];
    }
  }
  return out;
}
