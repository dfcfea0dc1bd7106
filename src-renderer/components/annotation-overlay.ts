// Pure pixel work for the Annotate mode's layers (no DOM): RGBA images of the
// painted classes in their own colours, of the classifier's prediction and of
// its uncertainty, transparent where there is nothing to show, so that the
// canvas blends them over the grey slice at a layer opacity.
import type { AnnotationClass } from '../../src-shared/contract';
import type { Rgb } from './overlay';

/** A rectangle of pixels of a plane. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pink-magenta for "unsure": far from both class colours (blue pore, amber solid). */
export const UNSURE_COLOUR: Rgb = [236, 72, 153];

/** '#3b82f6' → [59, 130, 246]; anything else → grey (a class table edited by hand may hold any text). */
export function parseHexColour(text: string): Rgb {
  const m = /^#([0-9a-f]{6})$/i.exec(text.trim());
  if (!m) return [128, 128, 128];
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** RGBA per value 0..255 (256 × 4 bytes): each class value in its colour, opaque; every other value (0 = none) transparent. */
export function classColourTable(classes: readonly AnnotationClass[]): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(256 * 4);
  for (const c of classes) {
    if (!Number.isInteger(c.value) || c.value < 1 || c.value > 255) continue;
    const [r, g, b] = parseHexColour(c.color);
    lut.set([r, g, b, 255], c.value * 4);
  }
  return lut;
}

/** The RGBA pixels of `box` of a plane of values (row-major, `width` wide) through a 256-entry RGBA table. */
export function valuesToRgba(values: Uint8Array, width: number, box: PixelBox, lut: Uint8ClampedArray): Uint8ClampedArray {
  const out = new Uint8ClampedArray(box.width * box.height * 4);
  for (let y = 0; y < box.height; y++) {
    const row = (box.y + y) * width + box.x;
    for (let x = 0; x < box.width; x++) {
      const v = values[row + x] * 4;
      const o = (y * box.width + x) * 4;
      out[o] = lut[v];
      out[o + 1] = lut[v + 1];
      out[o + 2] = lut[v + 2];
      out[o + 3] = lut[v + 3];
    }
  }
  return out;
}

/**
 * The classifier's labels (segmentation convention: 0 = pore, 1 = solid) as a
 * table for valuesToRgba: each in the colour of its annotation class (pore =
 * class 1, solid = class 2), so a prediction reads like the paint that taught it.
 */
export function predictionColourTable(classes: readonly AnnotationClass[]): Uint8ClampedArray {
  const byValue = classColourTable(classes);
  const lut = new Uint8ClampedArray(256 * 4);
  lut.set(byValue.subarray(1 * 4, 2 * 4), 0);
  lut.set(byValue.subarray(2 * 4, 3 * 4), 4);
  return lut;
}

/** Uncertainty (0 = certain .. 255 = a coin flip) as UNSURE_COLOUR whose alpha is the uncertainty: certain pixels stay clear. */
export function uncertaintyColourTable(colour: Rgb = UNSURE_COLOUR): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let u = 0; u < 256; u++) lut.set([colour[0], colour[1], colour[2], u], u * 4);
  return lut;
}

/** The smallest box holding both (either may be null). */
export function unionBox(a: PixelBox | null, b: PixelBox | null): PixelBox | null {
  if (a === null) return b;
  if (b === null) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}
