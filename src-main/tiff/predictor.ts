// TIFF predictor 2 (horizontal differencing), undone in place on a decoded
// chunk whose 16-bit samples are already in native byte order.

/**
 * @param data chunk bytes (rows of `rowSamples` samples each)
 * @param rows number of rows
 * @param rowSamples samples per row (pixels * samples per pixel)
 * @param spp samples per pixel in the chunk (the differencing stride)
 */
export function undoHorizontalPredictor(data: Uint8Array, bitsPerSample: number, rows: number, rowSamples: number, spp: number): void {
  if (bitsPerSample === 8) {
    for (let r = 0; r < rows; r++) {
      const base = r * rowSamples;
      const end = base + rowSamples;
      for (let i = base + spp; i < end; i++) data[i] = (data[i] + data[i - spp]) & 0xff;
    }
  } else {
    const v = new Uint16Array(data.buffer, data.byteOffset, rows * rowSamples);
    for (let r = 0; r < rows; r++) {
      const base = r * rowSamples;
      const end = base + rowSamples;
      for (let i = base + spp; i < end; i++) v[i] = (v[i] + v[i - spp]) & 0xffff;
    }
  }
}
