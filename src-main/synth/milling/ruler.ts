// Ruler markers ([Sardhara2023] 2.1, Fig. 2; [Shkurmanov2022]): Pt/C-filled
// trenches milled into a carbon cap on top of the region of interest. In the
// cross-section (image rows above the structure) they appear as four bright bars:
//
//   x:  P1        I1 ->            <- I2        P2
//       |         \                  /          |        top view: P parallel to
//       |          \                /           |        the milling direction z,
//       |           \              /            |        I at angle theta to the
//   z   v                                                cross-section plane
//
// P1, P2 stay at fixed x; I1, I2 move towards each other by z / tan(theta) each,
// so between slices i and i + 1 the milled thickness is
//   t_i = (gap_i - gap_{i+1}) tan(theta) / 2,   gap = x(I2) - x(I1).
// The parallel pair is the in-plane reference (drift; not simulated here).
import { backscatterCoefficient, EPOXY, PLATINUM_CARBON } from '../image/bse-coefficient';
import { invalid } from '../synth-inputs';

export interface RulerGeometry {
  /** Image width, px, and pixel size, nm. */
  columns: number;
  pixelNm: number;
  /** Height of the band above the structure, px. */
  rows: number;
  /** Angle between the inclined trenches and the cross-section plane, degrees (90 would be parallel to z). */
  angleDeg: number;
  /** Centres of P1, P2 (nm from the left edge). */
  parallelXNm: [number, number];
  /** Centres of I1, I2 at z = 0 (nm). */
  inclinedStartXNm: [number, number];
  markerWidthNm: number;
}

/**
 * A ruler for a run reaching `depthNm`: parallel markers at 10 % and 90 % of the width,
 * inclined ones from 20 % and 80 %, each travelling at most 25 % of the width
 * (so they never meet): tan(theta) = max(1, depth / (0.25 width)).
 */
export function defaultRulerGeometry(columns: number, pixelNm: number, depthNm: number, rows = 24): RulerGeometry {
  const w = columns * pixelNm;
  const tan = Math.max(1, depthNm / (0.25 * w));
  return {
    columns,
    pixelNm,
    rows,
    angleDeg: (Math.atan(tan) * 180) / Math.PI,
    parallelXNm: [0.1 * w, 0.9 * w],
    inclinedStartXNm: [0.2 * w, 0.8 * w],
    markerWidthNm: Math.max(4 * pixelNm, 0.03 * w),
  };
}

/** Centres (nm) of P1, I1, I2, P2 in the cross-section at depth zNm. */
export function rulerMarkerCentresNm(g: RulerGeometry, zNm: number): [number, number, number, number] {
  const shift = zNm / Math.tan((g.angleDeg * Math.PI) / 180);
  return [g.parallelXNm[0], g.inclinedStartXNm[0] + shift, g.inclinedStartXNm[1] - shift, g.parallelXNm[1]];
}

/** The band's clean signal (BSE coefficient units), rows x columns: carbon cap, Pt/C bars with exact pixel coverage. */
export function rulerBandSignal(g: RulerGeometry, zNm: number, energyKeV: number): Float32Array {
  if (!(g.rows >= 1) || !(g.columns >= 1)) throw invalid('the ruler band needs at least one row and one column');
  const cap = backscatterCoefficient(EPOXY.z, energyKeV);
  const pt = backscatterCoefficient(PLATINUM_CARBON.z, energyKeV);
  const row = new Float32Array(g.columns).fill(cap);
  const half = g.markerWidthNm / 2;
  for (const c of rulerMarkerCentresNm(g, zNm)) {
    const lo = (c - half) / g.pixelNm;
    const hi = (c + half) / g.pixelNm;
    if (lo < 0 || hi > g.columns) throw invalid(`ruler marker at ${c.toFixed(1)} nm leaves the ${g.columns}-px image at depth ${zNm} nm: use a steeper angle`);
    for (let x = Math.floor(lo); x < Math.ceil(hi); x++) {
      const cover = Math.min(hi, x + 1) - Math.max(lo, x);
      row[x] += cover * (pt - cap);
    }
  }
  // One row of cap at the bottom: the trenches end in the carbon layer, above the structure.
  const out = new Float32Array(g.rows * g.columns);
  for (let y = 0; y < g.rows; y++) out.set(y === g.rows - 1 ? new Float32Array(g.columns).fill(cap) : row, y * g.columns);
  return out;
}

/** Marker centres (px) found in a band: column means, threshold halfway, grey-weighted centroid of each bright run. */
export function findMarkerCentresPx(band: ArrayLike<number>, columns: number, rows: number): number[] {
  const profile = new Float64Array(columns);
  for (let y = 0; y < rows - 1; y++) for (let x = 0; x < columns; x++) profile[x] += band[y * columns + x] / (rows - 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of profile) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const threshold = (lo + hi) / 2;
  let base = 0;
  let nBase = 0;
  for (const v of profile) if (v < threshold) (base += v), nBase++;
  base /= Math.max(1, nBase);
  const centres: number[] = [];
  for (let x = 0; x < columns; ) {
    if (profile[x] < threshold) {
      x++;
      continue;
    }
    let start = x;
    while (x < columns && profile[x] >= threshold) x++;
    // Include one edge pixel each side: the partly covered pixels carry the sub-pixel position.
    const from = Math.max(0, start - 1);
    const to = Math.min(columns, x + 1);
    let m = 0;
    let mx = 0;
    for (let i = from; i < to; i++) {
      const w = Math.max(0, profile[i] - base);
      m += w;
      mx += w * (i + 0.5);
    }
    centres.push(mx / m);
    start = x;
  }
  return centres;
}

/** Thicknesses (nm) between consecutive slices from the four marker centres of each slice. */
export function rulerThicknessNm(g: RulerGeometry, centresPxPerSlice: readonly number[][]): number[] {
  const tan = Math.tan((g.angleDeg * Math.PI) / 180);
  const gaps = centresPxPerSlice.map((c, i) => {
    if (c.length !== 4) throw invalid(`slice ${i}: the ruler measurement found ${c.length} markers instead of 4 (markers merge in narrow or noisy images): use wider images (e.g. 96 columns or more) or no ruler (--ruler-rows 0)`);
    return (c[2] - c[1]) * g.pixelNm;
  });
  return gaps.slice(1).map((gap, i) => ((gaps[i] - gap) * tan) / 2);
}
