// The ruler band as a 1-D signal: mean over the band's rows of each column,
// markers made positive (bright Pt/C on a dark carbon cap, or the inverse), a
// smooth background (shading across the band) fitted to the columns away from
// the markers and removed, and the noise of the profile estimated from what is left.
export type GreyImage = Uint8Array | Uint16Array | Float32Array;

export interface BandRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RulerProfile {
  /** Background-free profile, markers positive, one value per column of the region. */
  values: Float64Array;
  /** Standard deviation of one profile value (noise after the row mean). */
  noiseSd: number;
}

/** Mean over the region's rows of each column; negated for dark markers. */
export function bandColumnProfile(image: GreyImage, width: number, region: BandRegion, polarity: 'bright' | 'dark'): Float64Array {
  const profile = new Float64Array(region.width);
  for (let y = region.y; y < region.y + region.height; y++) {
    const row = y * width + region.x;
    for (let x = 0; x < region.width; x++) profile[x] += image[row + x];
  }
  const k = (polarity === 'dark' ? -1 : 1) / region.height;
  for (let x = 0; x < profile.length; x++) profile[x] *= k;
  return profile;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Least-squares quadratic through (x, v) for the masked columns, evaluated on every column. */
function quadraticFit(values: Float64Array, use: Uint8Array): Float64Array {
  const n = values.length;
  const half = Math.max(1, (n - 1) / 2);
  // Normal equations in t = (x - centre) / half, basis 1, t, t^2.
  const a = [0, 0, 0, 0, 0];
  const b = [0, 0, 0];
  let count = 0;
  for (let x = 0; x < n; x++) {
    if (!use[x]) continue;
    const t = (x - half) / half;
    let p = 1;
    for (let k = 0; k < 5; k++) (a[k] += p), (p *= t);
    b[0] += values[x];
    b[1] += values[x] * t;
    b[2] += values[x] * t * t;
    count++;
  }
  const out = new Float64Array(n);
  if (count < 6) {
    out.fill(median(Array.from(values).filter((_, x) => use[x] || count === 0)));
    return out;
  }
  const m = [
    [a[0], a[1], a[2], b[0]],
    [a[1], a[2], a[3], b[1]],
    [a[2], a[3], a[4], b[2]],
  ];
  for (let c = 0; c < 3; c++) {
    let piv = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = 0; r < 3; r++) {
      if (r === c || m[c][c] === 0) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k < 4; k++) m[r][k] -= f * m[c][k];
    }
  }
  const coef = m.map((row, i) => (row[i] === 0 ? 0 : row[3] / row[i]));
  for (let x = 0; x < n; x++) {
    const t = (x - half) / half;
    out[x] = coef[0] + coef[1] * t + coef[2] * t * t;
  }
  return out;
}

/** Columns within `margin` of a value above `threshold` (the markers and their blurred edges). */
export function markerMask(values: Float64Array, threshold: number, margin: number): Uint8Array {
  const mask = new Uint8Array(values.length);
  for (let x = 0; x < values.length; x++) {
    if (values[x] < threshold) continue;
    for (let i = Math.max(0, x - margin); i <= Math.min(values.length - 1, x + margin); i++) mask[i] = 1;
  }
  return mask;
}

/**
 * Removes the background: a quadratic fitted to the columns away from the markers
 * (twice: the first fit sharpens the marker mask of the second), then estimates the
 * profile noise from the background columns' neighbour differences (robust, MAD),
 * which slow shading left over does not inflate.
 */
export function removeBackground(raw: Float64Array): RulerProfile {
  const n = raw.length;
  let values = Float64Array.from(raw);
  let level = median(Array.from(values));
  let mask: Uint8Array = new Uint8Array(n);
  for (let pass = 0; pass < 2; pass++) {
    let peak = -Infinity;
    for (const v of values) peak = Math.max(peak, v);
    const threshold = level + 0.25 * (peak - level);
    mask = markerMask(values, threshold, Math.max(4, Math.round(n / 64)));
    const use = mask.map((m) => 1 - m);
    const background = quadraticFit(raw, use);
    values = raw.map((v, x) => v - background[x]);
    level = 0;
  }
  const diffs: number[] = [];
  for (let x = 1; x < n; x++) if (!mask[x] && !mask[x - 1]) diffs.push(values[x] - values[x - 1]);
  const med = median(diffs);
  const noiseSd = (1.4826 * median(diffs.map((d) => Math.abs(d - med)))) / Math.SQRT2;
  return { values, noiseSd };
}
