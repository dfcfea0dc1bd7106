// Sub-pixel refinement of a phase-correlation peak by the upsampled (matrix-multiply)
// DFT of Guizar-Sicairos, Thurman & Fienup (Opt. Lett. 33, 156, 2008), the method of
// skimage.registration.phase_cross_correlation: the inverse DFT of the normalised
// cross-power spectrum is evaluated exactly, with no FFT, on a grid of step 1/upsample
// pixel spanning +-0.75 px around the integer peak. The estimate is therefore
// quantised to 1/upsample px (0.05 px at the default 20) and otherwise as accurate as
// the correlation itself: no parabola or centroid model error.
//
// Cost: height * width * ceil(1.5 * upsample) complex multiply-adds, separable over
// the two axes, halved by symmetry: the spectrum is the cross-power spectrum of two
// real images, hence Hermitian (P[-k] = conj P[k]), and the correlation is real. So
// the sum over all rows ky equals the real part of the sum over rows 0..height/2,
// the rows strictly between counted twice (their mirror rows are their conjugates);
// only rows 0..height/2 are transformed, and |Re| is the correlation magnitude.

/** Signed frequency of FFT bin k of n (numpy fftfreq * n): 0..n/2-1, then -n/2..-1. */
function signedFrequency(k: number, n: number): number {
  return k < n / 2 ? k : k - n;
}

export interface UpsampledPeak {
  dy: number;
  dx: number;
  /** |cross-correlation| at the refined peak, unscaled (divide by width * height). */
  magnitude: number;
}

/**
 * Refines an integer peak (sy, sx) of the inverse DFT of the spectrum (pRe, pIm),
 * height * width row-major, to 1 / upsample px. Returns shifts in the same signed
 * convention as (sy, sx).
 */
export function refinePeakUpsampled(
  pRe: Float64Array, pIm: Float64Array, width: number, height: number,
  sy: number, sx: number, upsample: number,
): UpsampledPeak {
  const size = Math.ceil(1.5 * upsample);
  const centre = Math.floor(size / 2);
  // Twiddles for x: tx[b] = sx + (b - centre) / upsample; e^{+2 pi i f_kx tx / width}.
  const twxRe = new Float64Array(size * width);
  const twxIm = new Float64Array(size * width);
  for (let b = 0; b < size; b++) {
    const t = sx + (b - centre) / upsample;
    for (let kx = 0; kx < width; kx++) {
      const a = (2 * Math.PI * signedFrequency(kx, width) * t) / width;
      twxRe[b * width + kx] = Math.cos(a);
      twxIm[b * width + kx] = Math.sin(a);
    }
  }
  // Rows used: all of them for an odd height, else 0..height/2 (Hermitian symmetry, above).
  const half = height % 2 === 0;
  const rows = half ? height / 2 + 1 : height;
  const rowWeight = (ky: number) => (!half || ky === 0 || ky === height / 2 ? 1 : 2);
  // Stage 1: Q[ky][b] = sum_kx P[ky, kx] e^{...x}.
  const qRe = new Float64Array(rows * size);
  const qIm = new Float64Array(rows * size);
  for (let ky = 0; ky < rows; ky++) {
    const row = ky * width;
    for (let b = 0; b < size; b++) {
      const tw = b * width;
      let sr = 0;
      let si = 0;
      for (let kx = 0; kx < width; kx++) {
        const pr = pRe[row + kx];
        const pi = pIm[row + kx];
        const wr = twxRe[tw + kx];
        const wi = twxIm[tw + kx];
        sr += pr * wr - pi * wi;
        si += pr * wi + pi * wr;
      }
      qRe[ky * size + b] = sr;
      qIm[ky * size + b] = si;
    }
  }
  // Stage 2: CC[a][b] = sum_ky Q[ky][b] e^{+2 pi i f_ky ty_a / height}; keep the largest |CC|.
  let best = -1;
  let bestA = centre;
  let bestB = centre;
  const accRe = new Float64Array(size);
  const accIm = new Float64Array(size);
  for (let a = 0; a < size; a++) {
    const t = sy + (a - centre) / upsample;
    accRe.fill(0);
    accIm.fill(0);
    for (let ky = 0; ky < rows; ky++) {
      const ang = (2 * Math.PI * signedFrequency(ky, height) * t) / height;
      const w = rowWeight(ky);
      const wr = w * Math.cos(ang);
      const wi = w * Math.sin(ang);
      const o = ky * size;
      for (let b = 0; b < size; b++) {
        const qr = qRe[o + b];
        const qi = qIm[o + b];
        accRe[b] += qr * wr - qi * wi;
        accIm[b] += qr * wi + qi * wr;
      }
    }
    for (let b = 0; b < size; b++) {
      const m = half ? Math.abs(accRe[b]) : Math.hypot(accRe[b], accIm[b]);
      if (m > best) { best = m; bestA = a; bestB = b; }
    }
  }
  return { dy: sy + (bestA - centre) / upsample, dx: sx + (bestB - centre) / upsample, magnitude: best };
}
