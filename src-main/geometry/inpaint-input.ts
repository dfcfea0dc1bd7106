// The input of the ML inpainting network for one zx or zy plane of a repositioned
// binary volume (rows = z on the fine grid, columns = x or y), three channels:
//   0: tanh(D / distanceScaleNm), D = the signed distance to the boundary splined along
//      z (distance-field.ts; exact on measured rows);
//   1: 1 on measured rows, 0 on gap rows;
//   2: min(rows to the nearest measured row / gapScaleRows, 4); 0 on measured rows.
// training/inpainting_data.py builds the same channels from the same distances.

export interface InpaintScales {
  distanceScaleNm: number;
  gapScaleRows: number;
}

export const INPAINT_CHANNELS = 3;
export const GAP_FEATURE_MAX = 4;

/** Rows from each plane to the nearest measured plane (0 on measured planes). */
export function rowsToKnown(known: Uint8Array): Float32Array {
  const n = known.length;
  const d = new Float32Array(n).fill(Infinity);
  let last = -Infinity;
  for (let z = 0; z < n; z++) {
    if (known[z]) last = z;
    d[z] = z - last;
  }
  last = Infinity;
  for (let z = n - 1; z >= 0; z--) {
    if (known[z]) last = z;
    d[z] = Math.min(d[z], last - z);
  }
  return d;
}

/**
 * Writes one plane's input, float32 [3, nz, w], into `out` at `at`. Value (z, i) of the
 * plane is planes[z][offset + i * stride].
 */
export function writePlaneInput(
  out: Float32Array,
  at: number,
  planes: readonly Float32Array[],
  known: Uint8Array,
  gapRows: Float32Array,
  line: { offset: number; stride: number; width: number },
  s: InpaintScales,
): void {
  const nz = planes.length;
  const w = line.width;
  const area = nz * w;
  for (let z = 0; z < nz; z++) {
    const p = planes[z];
    const row = at + z * w;
    const k = known[z] ? 1 : 0;
    const g = Math.min(gapRows[z] / s.gapScaleRows, GAP_FEATURE_MAX);
    for (let i = 0, j = line.offset; i < w; i++, j += line.stride) {
      out[row + i] = Math.tanh(p[j] / s.distanceScaleNm);
      out[area + row + i] = k;
      out[2 * area + row + i] = g;
    }
  }
}
