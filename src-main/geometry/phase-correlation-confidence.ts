// How far to trust one correlation match: is its peak a real match at all, and how
// precise is the shift it gives?
//
// Is it a match: (1) the null peak, the highest correlation of the same two images
// when one is point-reflected, so that nothing lines up at any shift but the power
// spectra, window and overlaps stay the same: what "no shared structure" gives for
// this pair (register-acceptance.ts pools them into a baseline). (2) The
// primary-to-secondary peak ratio (Keane & Adrian, "Theory of cross-correlation
// analysis of PIV images", 1992; Charonko & Vlachos, "Estimation of uncertainty
// bounds for individual particle image velocimetry measurements from
// cross-correlation peak ratio", 2013): the highest peak over the highest other
// local maximum outside its lobe (the connected area above half its height); near 1
// the match is ambiguous (two places fit about as well).
//
// How precise: the shift error of a correlation peak is the slope of the surface's
// noise at the peak divided by the peak's curvature, dt = -eta'(t) / c''(t)
// (the first-order error of maximising a noisy function; the Cramer-Rao bound of
// Robinson & Milanfar, "Fundamental performance limits in image registration", 2004,
// has the same form). Both images scaled to unit energy (contrast may differ between
// channels), with w the window:
//   residual energy       R = 2 (1 - rho), rho = the correlation peak (what the two images do not share)
//   per-pixel noise       s^2 = R / (2 sum w^2) in each image
//   structure gradients   G = -c''(t) = rho k, k the peak's curvature relative to its height
//   var(t) = 2 s^2 q / G  +  min(s^4 q sum w^2 pi^2 / (3 G^2),  s^2 sqrt(q sum w^2) / (2 G)),   q = sum w^4 / sum w^2
// The first term is noise against structure, the second noise against noise: white
// noise's derivative has variance s^2 pi^2 / 3 per axis (linear regime), but when
// that predicts errors near a pixel the noise surface is rough on the scale of the
// error and the first-order rule no longer holds: the maximum then lies anywhere
// where the peak is within one noise sd (s^2 sqrt(sum w^4)) of its top, a disc of
// radius^2 = 2 sd / G, whose per-axis variance is radius^2 / 4. k comes from a Gaussian
// fitted to the whole lobe, not from the apex: on a noisy surface the apex is where
// a noise bump sits on the peak, much sharper than the shared structure. A structural
// change between slices counts as noise here although it is smoother, and at very
// low signal the error saturates at the lobe's width: there the estimate errs on the
// large side. Checked against the errors of known shifts in
// tests/geometry-register/phase-correlation-confidence.test.ts.
import { fft2dInPlace } from './phase-correlation-fft2d';
import {
  DEFAULT_UPSAMPLE, crossCorrelation, refineCorrelationPeak,
  type CrossCorrelation, type ImageSpectrum, type ShiftEstimate,
} from './phase-correlation';

export interface PairMatch extends ShiftEstimate, ShiftSigma {
  /** Highest correlation of the reference with the moving image point-reflected: what a pair of these images with no shared structure reaches (NaN: not computed). */
  nullPeak: number;
  /** Primary-to-secondary peak ratio; Infinity when the surface has no other local maximum. */
  peakRatio: number;
}

/** Standard error no match gets below, px: the biases of window and interpolation. */
export const SYSTEMATIC_PX = 0.03;

/** Highest local maximum of the surface outside the main peak's lobe (connected area >= half the peak). */
export function secondaryPeak(surface: Float64Array, width: number, height: number, peakIndex: number): { second: number; lobe: Uint8Array } {
  const n = width * height;
  const half = surface[peakIndex] / 2;
  // Visits the 8 neighbours of pixel i (the surface wraps around: shifts are periodic).
  const around = (i: number, visit: (j: number) => boolean): boolean => {
    const y = Math.floor(i / width);
    const x = i - y * width;
    for (let dy = -1; dy <= 1; dy++) {
      const row = ((y + dy + height) % height) * width;
      for (let dx = -1; dx <= 1; dx++) {
        if ((dy !== 0 || dx !== 0) && !visit(row + ((x + dx + width) % width))) return false;
      }
    }
    return true;
  };
  const lobe = new Uint8Array(n);
  const queue = [peakIndex];
  lobe[peakIndex] = 1;
  while (queue.length > 0) {
    around(queue.pop()!, (j) => {
      if (!lobe[j] && surface[j] >= half) { lobe[j] = 1; queue.push(j); }
      return true;
    });
  }
  let second = 0;
  for (let i = 0; i < n; i++) {
    const v = surface[i];
    if (v > second && !lobe[i] && around(i, (j) => surface[j] <= v)) second = v;
  }
  return { second, lobe };
}

/**
 * Curvature of the correlation peak relative to its height, per axis (1/px^2): from a
 * least-squares fit of a 2D Gaussian (a quadratic in ln c) to the peak's lobe, not from
 * the apex alone: the apex of a noisy surface is where a noise bump sits on the peak,
 * sharper than the shared structure makes it.
 */
export function peakCurvature(c: CrossCorrelation, lobe: Uint8Array): { yy: number; xx: number } {
  const { width, height } = c.plan;
  const py = Math.floor(c.peakIndex / width);
  const px = c.peakIndex - py * width;
  const s = c.surface;
  // Normal equations of ln c = a + b1 y + b2 x + g1 y^2 + g2 x^2 + g3 x y.
  const ata = new Float64Array(36);
  const atb = new Float64Array(6);
  let count = 0;
  const radius = 16;
  for (let dy = -radius; dy <= radius; dy++) {
    const row = ((py + dy + height) % height) * width;
    for (let dx = -radius; dx <= radius; dx++) {
      const i = row + ((px + dx + width) % width);
      const inner = Math.abs(dy) <= 1 && Math.abs(dx) <= 1;
      if ((!lobe[i] && !inner) || !(s[i] > 0)) continue;
      const f = [1, dy, dx, dy * dy, dx * dx, dx * dy];
      const v = Math.log(s[i]);
      for (let a = 0; a < 6; a++) {
        atb[a] += f[a] * v;
        for (let b = 0; b < 6; b++) ata[a * 6 + b] += f[a] * f[b];
      }
      count++;
    }
  }
  const g = count >= 6 ? solve6(ata, atb) : null;
  if (g === null) return { yy: NaN, xx: NaN };
  return { yy: -2 * g[3], xx: -2 * g[4] };
}

function solve6(a: Float64Array, b: Float64Array): Float64Array | null {
  const m = a.slice();
  const x = b.slice();
  for (let k = 0; k < 6; k++) {
    let p = k;
    for (let r = k + 1; r < 6; r++) if (Math.abs(m[r * 6 + k]) > Math.abs(m[p * 6 + k])) p = r;
    if (Math.abs(m[p * 6 + k]) < 1e-12) return null;
    if (p !== k) {
      for (let c = 0; c < 6; c++) [m[k * 6 + c], m[p * 6 + c]] = [m[p * 6 + c], m[k * 6 + c]];
      [x[k], x[p]] = [x[p], x[k]];
    }
    for (let r = k + 1; r < 6; r++) {
      const f = m[r * 6 + k] / m[k * 6 + k];
      for (let c = k; c < 6; c++) m[r * 6 + c] -= f * m[k * 6 + c];
      x[r] -= f * x[k];
    }
  }
  for (let k = 5; k >= 0; k--) {
    let v = x[k];
    for (let c = k + 1; c < 6; c++) v -= m[k * 6 + c] * x[c];
    x[k] = v / m[k * 6 + k];
  }
  return x;
}

export interface ShiftSigma {
  /** Standard error of dy and dx, px. */
  sigmaDy: number;
  sigmaDx: number;
  /**
   * The part of it that one image's own noise against the structure contributes, per
   * image, px: the same in every match of that image with images of the same
   * structure, so it does not average out over several matches (drift-path.ts).
   */
  ownSigmaDy: number;
  ownSigmaDx: number;
}

/** Standard errors of the refined shift (dy, dx), px, from the peak height rho and its curvature (1/px^2, per axis). */
export function shiftSigma(rho: number, curvature: { yy: number; xx: number }, spectrum: ImageSpectrum, upsample: number): ShiftSigma {
  // Quantisation of the 1/upsample grid, and a floor for what the noise model leaves
  // out (window and sub-pixel interpolation biases, up to ~0.05 px on clean frames).
  const floor = 1 / (12 * upsample * upsample) + SYSTEMATIC_PX * SYSTEMATIC_PX;
  const r = Math.min(1, Math.max(0, rho));
  const residual = 2 * (1 - r);
  const w2 = spectrum.windowSum2;
  const q = spectrum.windowSum4 / w2;
  const s2 = residual / (2 * w2); // per-pixel noise variance of each unit-energy image
  const terms = (k: number) => {
    const G = r * k; // -c''(t) of the unit-energy images
    if (!(G > 0)) return { total: Infinity, own: Infinity };
    const own = (s2 * q) / G; // one image's noise against the structure
    const noiseNoiseLinear = (s2 * s2 * q * w2 * Math.PI * Math.PI) / (3 * G * G);
    const noiseNoiseRough = (s2 * Math.sqrt(q * w2)) / (2 * G);
    return { total: 2 * own + Math.min(noiseNoiseLinear, noiseNoiseRough) + floor, own };
  };
  const y = terms(curvature.yy);
  const x = terms(curvature.xx);
  return { sigmaDy: Math.sqrt(y.total), sigmaDx: Math.sqrt(x.total), ownSigmaDy: Math.sqrt(y.own), ownSigmaDx: Math.sqrt(x.own) };
}

/**
 * The highest |correlation| of the reference with the moving image point-reflected
 * (rotated by 180 degrees within its area), scaled as the peak. The reflected image
 * has the same power spectrum, window and overlap at every shift, but its structure
 * no longer lines up with the reference's at any shift (unless the structure is
 * symmetric): the surface is that of a pair with nothing in common. Reflection of
 * the area [0, h) x [0, w): B'(k) = conj(B(k)) e^{-i omega (h - 1, w - 1)}.
 */
export function mirrorNullPeak(reference: ImageSpectrum, moving: ImageSpectrum, scale: number): number {
  const { width: pw, height: ph } = reference.plan;
  const re = new Float64Array(pw * ph);
  const im = new Float64Array(pw * ph);
  const ex = new Float64Array(2 * pw);
  for (let k = 0; k < pw; k++) {
    const a = (2 * Math.PI * k * (moving.width - 1)) / pw;
    ex[2 * k] = Math.cos(a);
    ex[2 * k + 1] = Math.sin(a);
  }
  for (let ky = 0; ky < ph; ky++) {
    const a = (2 * Math.PI * ky * (moving.height - 1)) / ph;
    const cy = Math.cos(a), sy = Math.sin(a);
    for (let kx = 0, i = ky * pw; kx < pw; kx++, i++) {
      // e = e^{+i omega d}: A conj(B') = A B e^{+i omega d}
      const er = ex[2 * kx] * cy - ex[2 * kx + 1] * sy;
      const ei = ex[2 * kx] * sy + ex[2 * kx + 1] * cy;
      const pr = reference.re[i] * moving.re[i] - reference.im[i] * moving.im[i];
      const pi = reference.re[i] * moving.im[i] + reference.im[i] * moving.re[i];
      re[i] = pr * er - pi * ei;
      im[i] = pr * ei + pi * er;
    }
  }
  fft2dInPlace(reference.plan, re, im, true);
  let best = 0;
  for (let i = 0; i < re.length; i++) best = Math.max(best, re[i] * re[i] + im[i] * im[i]);
  return Math.sqrt(best) / scale;
}

/**
 * A match of two spectra (plain cross-correlation) with its peak ratio and standard
 * errors; withNull: also the mirror null peak (one more inverse FFT; NaN without).
 */
export function matchSpectra(reference: ImageSpectrum, moving: ImageSpectrum, upsample = DEFAULT_UPSAMPLE, withNull = true): PairMatch {
  const c = crossCorrelation(reference, moving, 'none');
  if (c === null) return { dy: 0, dx: 0, peak: 0, nullPeak: withNull ? 0 : NaN, peakRatio: 0, sigmaDy: Infinity, sigmaDx: Infinity, ownSigmaDy: Infinity, ownSigmaDx: Infinity };
  const estimate = refineCorrelationPeak(c, upsample);
  const { second, lobe } = secondaryPeak(c.surface, c.plan.width, c.plan.height, c.peakIndex);
  const peakRatio = second > 0 ? c.surface[c.peakIndex] / second : Infinity;
  const nullPeak = withNull ? mirrorNullPeak(reference, moving, c.scale) : NaN;
  return { ...estimate, nullPeak, peakRatio, ...shiftSigma(estimate.peak, peakCurvature(c, lobe), reference, upsample) };
}
