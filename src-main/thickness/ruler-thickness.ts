// Slice thickness from ruler markers ([Sardhara2023] 2.1; [Shkurmanov2022]):
// four Pt/C-filled trenches on top of the region of interest, seen in every
// cross-section as four bars in a band above the structure: P1, I1, I2, P2 from
// left to right. P1, P2 run along the milling direction z and stay put (their mean
// moves only with stage/beam drift); I1, I2 are inclined at angle theta to the
// cross-section plane, mirror images, and move towards each other (or apart) by
// dz / tan(theta) each. With d1 = I1 - Pm, d2 = Pm - I2 (Pm = (P1 + P2) / 2, which
// removes drift) the milled thickness between slices s and s + 1 is
//   t_s = (delta d1 + delta d2) / 2 * pixel * tan(theta) = -(gap_{s+1} - gap_s) / 2 * pixel * tan(theta),
// gap = I2 - I1. docs/ruler.md derives it (figure docs/ruler-geometry.svg).
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { maxOf, minOf } from '../../src-shared/min-max';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import type { ParsedThickness } from './thickness-types';
import { bandColumnProfile, removeBackground, type BandRegion, type GreyImage } from './ruler-profile';
import { markerCentroid, markerRuns, strongestRuns, type MarkerCentre } from './ruler-markers';

export type { BandRegion, GreyImage } from './ruler-profile';

export interface RulerOptions {
  /** The ruler band in image pixels (rows above the structure where the markers are). */
  region: BandRegion;
  /**
   * Inclination of the inclined trenches, degrees, in (0, 90). By default measured from
   * the cross-section plane (image x axis), as the synthetic ruler defines it
   * (src-main/synth/milling/ruler.ts: 90 would be parallel to z): a marker moves
   * dz / tan(angle) per dz milled. With angleFrom 'milling-direction' the angle is
   * measured from z (the parallel trenches): a marker moves dz * tan(angle).
   */
  angleDeg: number;
  angleFrom?: 'section-plane' | 'milling-direction';
  /** In-plane pixel size, nm. */
  pixelSizeNm: number;
  /** Pt/C markers are bright in SEM images (default). */
  markerPolarity?: 'bright' | 'dark';
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface RulerMeasurement {
  /** thicknessNm[s]: from slice s to s + 1, nm (slices - 1 values; negative = noise or a misfound marker). */
  thicknessNm: number[];
  /** One standard deviation of each thickness, nm. */
  uncertaintyNm: number[];
  /** Per slice: centres of P1, I1, I2, P2 in image x (px, column i spans [i, i + 1]). */
  markerPositionsPx: number[][];
  /** Per slice: standard deviation of each centre from the profile noise, px. */
  markerSdPx: number[][];
  /** Per slice: mean of the parallel markers minus that of slice 0 (in-plane drift along x), px. */
  driftPx: number[];
  /** Per gap: thickness from I1 alone minus that from I2 alone, nm (0 for a perfect mirror-image ruler). */
  disagreementNm: number[];
  notes: string[];
}

function invalid(message: string): AppError {
  return new AppError('invalid_input', message);
}

function checkInputs(slices: readonly GreyImage[], width: number, height: number, opts: RulerOptions): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw invalid(`image size must be positive integers, got ${width} x ${height}`);
  if (slices.length < 2) throw invalid(`the ruler needs at least 2 slices to measure a thickness, got ${slices.length}`);
  for (const [s, img] of slices.entries()) {
    if (img.length !== width * height) throw invalid(`slice ${s + 1} has ${img.length} pixels but the images are ${width} x ${height} (${width * height})`);
  }
  const r = opts.region;
  if (!r || ![r.x, r.y, r.width, r.height].every(Number.isInteger)) throw invalid(`the ruler region must be whole pixels {x, y, width, height}, got ${JSON.stringify(r)}`);
  if (r.x < 0 || r.y < 0 || r.width < 1 || r.height < 1 || r.x + r.width > width || r.y + r.height > height) {
    throw invalid(`the ruler region x ${r.x}, y ${r.y}, ${r.width} x ${r.height} px is outside the ${width} x ${height} image: give the band of rows with the markers inside the image`);
  }
  if (r.width < 16) throw invalid(`the ruler region is ${r.width} px wide: it must span all four markers (at least 16 px)`);
  if (!(opts.angleDeg > 0 && opts.angleDeg < 90)) throw invalid(`the ruler angle must be between 0 and 90 degrees (exclusive), got ${opts.angleDeg}`);
  if (!(opts.pixelSizeNm > 0) || !Number.isFinite(opts.pixelSizeNm)) throw invalid(`the pixel size must be a positive number of nm, got ${opts.pixelSizeNm}`);
  if (opts.angleFrom !== undefined && opts.angleFrom !== 'section-plane' && opts.angleFrom !== 'milling-direction') throw invalid(`angleFrom must be 'section-plane' or 'milling-direction', got ${opts.angleFrom}`);
  if (opts.markerPolarity !== undefined && opts.markerPolarity !== 'bright' && opts.markerPolarity !== 'dark') throw invalid(`marker polarity must be 'bright' or 'dark', got ${opts.markerPolarity}`);
}

/** The four marker centres of one slice (region coordinates), or an error saying what to check. */
export function findRulerMarkers(image: GreyImage, width: number, region: BandRegion, polarity: 'bright' | 'dark', sliceLabel: string): MarkerCentre[] {
  const { values, noiseSd } = removeBackground(bandColumnProfile(image, width, region, polarity));
  let peak = 0;
  for (const v of values) peak = Math.max(peak, v);
  // Half the brightest marker, but never within 6 sd of the noise.
  const threshold = Math.max(0.5 * peak, 6 * noiseSd);
  const runs = markerRuns(values, threshold);
  if (!(peak > 0) || runs.length < 4) {
    throw invalid(
      `${sliceLabel}: found ${runs.length} ruler marker${runs.length === 1 ? '' : 's'} instead of 4 in the band x ${region.x}, y ${region.y}, ${region.width} x ${region.height} px: ` +
        `check that the region covers all four markers (and only the band above the structure), the marker polarity (${polarity}; Pt/C is bright in SEM), and the noise (markers should stand out of the carbon cap)`,
    );
  }
  const four = strongestRuns(runs, 4);
  // Bars are narrow trenches; wide "bars" with narrow spaces are the spaces between dark-on-bright markers.
  const widest = Math.max(...four.map((r) => r.end - r.start));
  const narrowestSpace = Math.min(...four.slice(1).map((r, k) => r.start - four[k].end));
  if (widest > narrowestSpace) {
    throw invalid(
      `${sliceLabel}: the 4 ruler markers found are wider (${widest} px) than the space between them (${narrowestSpace} px) in the band x ${region.x}, y ${region.y}, ${region.width} x ${region.height} px: ` +
        `check the marker polarity (${polarity}; Pt/C is bright in SEM), that the region holds only the ruler band, and the noise`,
    );
  }
  const margin = Math.max(3, Math.round(0.5 * Math.min(...four.map((r) => r.end - r.start))));
  return four.map((run, k) =>
    markerCentroid(
      values,
      run,
      { leftEnd: k > 0 ? four[k - 1].end + margin : -Infinity, rightStart: k < 3 ? four[k + 1].start - margin : Infinity },
      margin,
      noiseSd,
    ),
  );
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Thickness between consecutive slices from the ruler markers in a band of each slice. */
export function measureRulerThickness(slices: readonly GreyImage[], width: number, height: number, opts: RulerOptions): RulerMeasurement {
  checkInputs(slices, width, height, opts);
  const polarity = opts.markerPolarity ?? 'bright';
  const report = progressTracker(opts.onProgress);
  const rad = (opts.angleDeg * Math.PI) / 180;
  // nm milled per nm a marker moves in the section plane.
  const depthPerShift = opts.angleFrom === 'milling-direction' ? 1 / Math.tan(rad) : Math.tan(rad);
  const p = opts.pixelSizeNm;
  const notes: string[] = [];

  const positions: number[][] = [];
  const sds: number[][] = [];
  for (const [s, image] of slices.entries()) {
    throwIfAborted(opts.signal);
    const markers = findRulerMarkers(image, width, opts.region, polarity, `slice ${s + 1} of ${slices.length}`);
    positions.push(markers.map((m) => m.centrePx + opts.region.x));
    sds.push(markers.map((m) => m.sdPx));
    report((s + 1) / slices.length, `ruler markers found in slice ${s + 1} of ${slices.length}`);
  }

  // Drift-corrected inclined positions: d1 grows and d2 grows when the inclined markers converge.
  const pm = positions.map((q) => (q[0] + q[3]) / 2);
  const d1 = positions.map((q, s) => q[1] - pm[s]);
  const d2 = positions.map((q, s) => pm[s] - q[2]);
  const gap = positions.map((q) => q[2] - q[1]);
  // Converging or diverging: the ruler's orientation, from the whole run.
  const direction = gap[gap.length - 1] <= gap[0] ? 1 : -1;
  if (direction < 0) notes.push('the inclined markers move apart from slice to slice (ruler drawn the other way round): thicknesses taken from their growing distance');
  const scale = direction * p * depthPerShift;

  const thicknessNm: number[] = [];
  const propagated: number[] = [];
  const disagreementNm: number[] = [];
  const disagreementSd: number[] = [];
  for (let s = 0; s + 1 < slices.length; s++) {
    const t1 = (d1[s + 1] - d1[s]) * scale;
    const t2 = (d2[s + 1] - d2[s]) * scale;
    thicknessNm.push((t1 + t2) / 2);
    disagreementNm.push(t1 - t2);
    const vI = sds[s][1] ** 2 + sds[s][2] ** 2 + sds[s + 1][1] ** 2 + sds[s + 1][2] ** 2;
    const vP = sds[s][0] ** 2 + sds[s][3] ** 2 + sds[s + 1][0] ** 2 + sds[s + 1][3] ** 2;
    propagated.push((Math.abs(scale) / 2) * Math.sqrt(vI));
    // t1 - t2 = scale (dI1 + dI2 - 2 dPm): both inclined and both parallel markers' noise.
    disagreementSd.push(Math.abs(scale) * Math.sqrt(vI + vP));
  }

  // The propagated noise assumes independent columns; blur or structure in the band
  // make it optimistic. The two inclined markers give a second, empirical estimate:
  // their disagreement (about its mean: trenches at slightly different angles give a
  // constant offset) must scatter as predicted; if it scatters more, scale up (Birge ratio).
  const meanDis = mean(disagreementNm);
  let birge = 1;
  if (disagreementNm.length >= 3) {
    const floor = 1e-9 * p * Math.abs(depthPerShift);
    const chi2 = mean(disagreementNm.map((d, i) => ((d - meanDis) / Math.max(disagreementSd[i], floor)) ** 2));
    birge = Math.max(1, Math.sqrt((chi2 * disagreementNm.length) / (disagreementNm.length - 1)));
  }
  const uncertaintyNm = propagated.map((u) => Math.max(u * birge, 1e-9 * p));
  if (birge > 1.5) notes.push(`the two inclined markers disagree ${birge.toFixed(1)} times more than the image noise predicts: uncertainties scaled up by that factor`);
  const meanT = mean(thicknessNm);
  if (Math.abs(meanDis) > 0.1 * Math.abs(meanT) && Math.abs(meanDis) > 3 * mean(disagreementSd) / Math.sqrt(disagreementSd.length)) {
    notes.push(`the inclined markers disagree on average by ${meanDis.toFixed(2)} nm per slice: check that both trenches have the angle given (${opts.angleDeg} degrees); their mean is used`);
  }

  const spacing = positions.map((q) => q[3] - q[0]);
  const spacingChange = (maxOf(spacing) - minOf(spacing)) / mean(spacing);
  if (spacingChange > 0.01) notes.push(`the distance between the parallel markers varies by ${(100 * spacingChange).toFixed(1)} %: magnification or rotation changed during the run?`);
  const driftPx = pm.map((v) => v - pm[0]);
  const maxDrift = maxOf(driftPx.map(Math.abs));
  notes.push(`markers: centroid over a window centred on each bar, background-free column profile of ${opts.region.height} rows; parallel-marker drift up to ${maxDrift.toFixed(2)} px (removed)`);
  const negatives = thicknessNm.filter((t) => t <= 0).length;
  if (negatives) notes.push(`${negatives} thickness${negatives === 1 ? ' is' : 'es are'} <= 0 nm: noise larger than the shift, or a marker mistaken; flag and resolve them`);
  report(1, `ruler thickness measured for ${thicknessNm.length} slice gaps`);
  return { thicknessNm, uncertaintyNm, markerPositionsPx: positions, markerSdPx: sds, driftPx, disagreementNm, notes };
}

/** The measurement as the thickness module's record (source 'ruler'), with its uncertainties. */
export function rulerParsedThickness(m: RulerMeasurement, firstSliceNumber = 0): ParsedThickness & { uncertaintyNm: number[] } {
  return {
    source: 'ruler',
    thicknessNm: [...m.thicknessNm],
    sliceNumbers: m.thicknessNm.map((_, i) => i + firstSliceNumber),
    firstSliceNumber,
    notes: [...m.notes],
    uncertaintyNm: [...m.uncertaintyNm],
  };
}
