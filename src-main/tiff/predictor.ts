// TIFF predictor 2 (horizontal differencing), undone in place on a decoded
// chunk whose 16-bit samples are already in native byte order.

/**
 * @param data chunk bytes (rows of `rowSamples` samples each)
 * @param rows number of rows
 * @param rowSamples samples per row (pixels * samples per pixel)
 * @param spp samples per pixel in the chunk (the differencing stride)
 */
export function undoHorizontalPredictor(data: Uint8Array, bitsPerSample: number, rows: number, rowSamples: number, spp: number): void {
  const v = bitsPerSample === 8 ? data : new Uint16Array(data.buffer, data.byteOffset, rows * rowSamples);
  const mask = bitsPerSample === 8 ? 0xff : 0xffff;
  for (let r = 0; r < rows; r++) {
    const base = r * rowSamples;
    const end = base + rowSamples;
    if (spp === 1) {
      // running sum in a register: no load of the previous value per sample
      let acc = v[base];
      for (let i = base + 1; i < end; i++) {
        acc = (acc + v[i]) & mask;
        v[i] = acc;
      }
    } else {
      for (let i = base + spp; i < end; i++) v[i] = (v[i] + v[i - spp]) & mask;
    }
  }
}
