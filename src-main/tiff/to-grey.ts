// Turns decoded samples into one grey plane: MinIsWhite is inverted, RGB and
// palette colours become luminance 0.299 R + 0.587 G + 0.114 B, rounded
// half up (Math.floor(v + 0.5)), computed in double precision in that order.
import { TAG, tagNumbers } from './tags';
import type { TiffPage } from './types';

export const LUMA_NOTE = 'luminance 0.299 R + 0.587 G + 0.114 B, rounded';

export function invertInPlace(data: Uint8Array | Uint16Array, max: number): void {
  for (let i = 0; i < data.length; i++) data[i] = max - data[i];
}

/** RGB sample planes (same length, same type) to grey in `out`. */
export function rgbToGrey(r: Uint8Array | Uint16Array, g: Uint8Array | Uint16Array, b: Uint8Array | Uint16Array, out: Uint8Array | Uint16Array): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i] + 0.5);
}

/**
 * Palette indices to grey. The ColorMap holds 16-bit colours (R block, G
 * block, B block). 8-bit indices give 8-bit grey (luminance / 257, or as is
 * when a writer stored 8-bit colours, all <= 255); 16-bit indices give 16-bit grey.
 */
export function paletteToGrey(page: TiffPage, idx: Uint8Array | Uint16Array, out: Uint8Array | Uint16Array): string {
  const map = tagNumbers(page.tags, TAG.ColorMap) as number[];
  const n = 2 ** page.bitsPerSample;
  const eightBitMap = page.bitsPerSample === 8 && map.slice(0, 3 * n).every((v) => v <= 255);
  const scale = page.bitsPerSample === 8 && !eightBitMap ? 257 : 1;
  const lut = page.bitsPerSample === 8 ? new Uint8Array(n) : new Uint16Array(n);
  for (let v = 0; v < n; v++) {
    const lum = 0.299 * map[v] + 0.587 * map[n + v] + 0.114 * map[2 * n + v];
    lut[v] = Math.floor(lum / scale + 0.5);
  }
  for (let i = 0; i < out.length; i++) out[i] = lut[idx[i]];
  return scale === 257 ? ' (16-bit palette colours scaled to 8 bit by / 257)' : '';
}
