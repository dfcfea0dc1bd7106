// The region of interest drawn on a preview slice (pure): a drag between two
// points given as fractions of the canvas (0..1) becomes a rectangle of whole
// image pixels, and the four text fields are read back as one, checked
// against the image.
import type { CropRect } from '../../src-shared/contract';

export interface RoiText {
  x: string;
  y: string;
  width: string;
  height: string;
}

export const EMPTY_ROI: RoiText = { x: '', y: '', width: '', height: '' };

/** The pixel rectangle spanned by a drag (corners rounded to pixel edges, clamped to the image); null for a click (no area). */
export function rectFromDrag(a: { fx: number; fy: number }, b: { fx: number; fy: number }, imageWidth: number, imageHeight: number): CropRect | null {
  const edge = (f: number, n: number) => Math.min(n, Math.max(0, Math.round(f * n)));
  const [x0, x1] = [edge(a.fx, imageWidth), edge(b.fx, imageWidth)].sort((p, q) => p - q);
  const [y0, y1] = [edge(a.fy, imageHeight), edge(b.fy, imageHeight)].sort((p, q) => p - q);
  if (x1 === x0 || y1 === y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function roiText(r: CropRect): RoiText {
  return { x: String(r.x), y: String(r.y), width: String(r.width), height: String(r.height) };
}

/** undefined: no region (all empty); a string: what is wrong; else the rectangle. */
export function parseRoi(t: RoiText, image?: { width: number; height: number }): CropRect | undefined | string {
  const fields = [t.x, t.y, t.width, t.height].map((s) => s.trim());
  if (fields.every((s) => s === '')) return undefined;
  const [x, y, width, height] = fields.map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if ([x, y, width, height].some((v) => !Number.isFinite(v)) || width < 1 || height < 1) {
    return 'The region takes whole pixels: x, y ≥ 0 px and width, height ≥ 1 px (all four, or none for the whole image).';
  }
  if (image && (x + width > image.width || y + height > image.height)) {
    return `The region (x ${x} px, y ${y} px, ${width} × ${height} px) does not fit in the ${image.width} × ${image.height} px image.`;
  }
  return { x, y, width, height };
}
