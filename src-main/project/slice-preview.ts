// A slice as an 8-bit preview for the UI: nearest-neighbour downsampling to at
// most maxSize px on the long side, grey values stretched min..max (pure).
import type { SliceArray } from '../../src-shared/dtype';

export interface Grey8Preview {
  width: number;
  height: number;
  data: Uint8Array;
  min: number;
  max: number;
}

export function grey8Preview(slice: SliceArray, width: number, height: number, maxSize: number): Grey8Preview {
  const scale = Math.min(1, maxSize / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < slice.length; i++) {
    const v = slice[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max > min ? max - min : 1;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / w));
      data[y * w + x] = Math.round(((slice[sy * width + sx] - min) * 255) / range);
    }
  }
  return { width: w, height: h, data, min, max };
}
