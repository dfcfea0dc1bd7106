// Auto-contrast of a grey preview: the window that clips the darkest and the
// brightest 0.5 % of the pixels shown (the percentiles every image viewer's
// "auto" uses). Pure, for Node tests.

/**
 * The low and high window ends (0..255) at the given percentiles of an 8-bit plane: the smallest
 * value v with at least p % of the pixels <= v (numpy's 'inverted_cdf' percentile); high > low always.
 */
export function autoWindow(pixels: Uint8Array, lowPercent = 0.5, highPercent = 99.5): { low: number; high: number } {
  if (pixels.length === 0) return { low: 0, high: 255 };
  const counts = new Float64Array(256);
  for (let i = 0; i < pixels.length; i++) counts[pixels[i]]++;
  const at = (p: number) => {
    const need = Math.max(1, Math.ceil((p / 100) * pixels.length));
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += counts[v];
      if (seen >= need) return v;
    }
    return 255;
  };
  let low = at(lowPercent);
  let high = at(highPercent);
  if (high <= low) {
    // A flat plane: a window of one grey level around it.
    if (low >= 255) low = 254;
    high = low + 1;
  }
  return { low, high };
}
