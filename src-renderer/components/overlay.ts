// Pure pixel work for the 2D views (no DOM): window/level on the 0..255
// preview, a colour map, and labels drawn in colour over it.
import { colormapTable, type Colormap } from './colormaps';

export type Rgb = readonly [number, number, number];
/** Solid in the overlay: amber, visible on grey. */
export const LABEL_COLOUR: Rgb = [255, 170, 0];

/** Maps low..high to 0..255 (clamped); low ≥ high is a threshold at low. */
export function windowLevelLut(low: number, high: number): Uint8Array {
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    if (high <= low) lut[i] = i >= low ? 255 : 0;
    else lut[i] = Math.round(Math.min(1, Math.max(0, (i - low) / (high - low))) * 255);
  }
  return lut;
}

export interface CompositeOptions {
  low?: number;
  high?: number;
  /** Label opacity 0..1. */
  opacity?: number;
  colour?: Rgb;
  /** The windowed grey as a colour (default grey). */
  colormap?: Colormap;
}

/**
 * RGBA pixels of a plane: grey through the window, then where labels (same size,
 * 0 / 255 or 0 / 1) are solid, the colour blended at the opacity.
 */
export function compositePlane(grey: Uint8Array, labels: Uint8Array | null, opts: CompositeOptions = {}): Uint8ClampedArray {
  const lut = windowLevelLut(opts.low ?? 0, opts.high ?? 255);
  const a = Math.min(1, Math.max(0, opts.opacity ?? 0.5));
  const [r, g, b] = opts.colour ?? LABEL_COLOUR;
  const useLabels = labels !== null && labels.length === grey.length && a > 0;
  const map = colormapTable(opts.colormap ?? 'grey');
  const out = new Uint8ClampedArray(grey.length * 4);
  for (let i = 0; i < grey.length; i++) {
    const m = 3 * lut[grey[i]];
    const [vr, vg, vb] = [map[m], map[m + 1], map[m + 2]];
    const o = i * 4;
    if (useLabels && labels[i] > 0) {
      out[o] = Math.round(vr + (r - vr) * a);
      out[o + 1] = Math.round(vg + (g - vg) * a);
      out[o + 2] = Math.round(vb + (b - vb) * a);
    } else {
      out[o] = vr;
      out[o + 1] = vg;
      out[o + 2] = vb;
    }
    out[o + 3] = 255;
  }
  return out;
}
