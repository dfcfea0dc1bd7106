// Mean ligament diameters from the area under the lineal path function ([Sardhara2023] eq. 5).
import type { DirectionalCurve } from './directional-curve';

/**
 * D_d = 2 * (area under L_d) / L_d(0), area by the trapezoid rule over r = 0..rMax in nm.
 * For solid chords of length l along d, L(r) is proportional to sum over chords of max(0, l - r),
 * so the trapezoid area over r = 0..l is l^2 / 2 per chord and D_d = sum l^2 / sum l:
 * the chord-length-weighted mean chord, exactly l when all chords are l long.
 * Truncation: chords longer than rMax are counted as if they ended at rMax (see docs/metrics.md).
 */
export function chordDiameterNm(curve: DirectionalCurve): number {
  const { values, rNm } = curve;
  if (values.length === 0 || values[0] === 0) return 0;
  let area = 0;
  for (let r = 1; r < values.length; r++) area += 0.5 * (values[r - 1] + values[r]) * (rNm[r] - rNm[r - 1]);
  return (2 * area) / values[0];
}

export interface LigamentDiametersNm {
  /** Along single axes: D_x, D_y, D_z. */
  x: number;
  y: number;
  z: number;
  /** Per plane, the mean of its two axes: D_ij = (D_i + D_j) / 2. */
  xy: number;
  xz: number;
  yz: number;
}

export function ligamentDiametersNm(lx: DirectionalCurve, ly: DirectionalCurve, lz: DirectionalCurve): LigamentDiametersNm {
  const x = chordDiameterNm(lx);
  const y = chordDiameterNm(ly);
  const z = chordDiameterNm(lz);
  return { x, y, z, xy: (x + y) / 2, xz: (x + z) / 2, yz: (y + z) / 2 };
}

/** e_D = (|D_xz - D_xy| + |D_yz - D_xy|) / (2 D_xy); 0 when D_xy = 0 and the others too. */
export function ligamentDiameterAnisotropy(d: Pick<LigamentDiametersNm, 'xy' | 'xz' | 'yz'>): number {
  const spread = Math.abs(d.xz - d.xy) + Math.abs(d.yz - d.xy);
  if (d.xy === 0) return spread === 0 ? 0 : Number.POSITIVE_INFINITY;
  return spread / (2 * d.xy);
}
