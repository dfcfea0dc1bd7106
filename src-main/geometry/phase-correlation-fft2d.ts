// 2D complex FFT built from the 1D radix-2 FFT in metrics/fft (rows, then columns),
// so the app has one FFT. Sizes must be powers of two: callers pad (see phase-correlation.ts).
import { fftInPlace, fftPlan, type FftPlan } from '../metrics/fft';

export interface Fft2dPlan {
  /** Padded columns (power of two). */
  width: number;
  /** Padded rows (power of two). */
  height: number;
  rows: FftPlan;
  cols: FftPlan;
}

export function fft2dPlan(width: number, height: number): Fft2dPlan {
  const rows = fftPlan(width);
  const cols = width === height ? rows : fftPlan(height);
  return { width, height, rows, cols };
}

/** In place on row-major re/im of height * width; no 1/N scaling (as fftInPlace). */
export function fft2dInPlace(plan: Fft2dPlan, re: Float64Array, im: Float64Array, inverse = false): void {
  const { width, height } = plan;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    fftInPlace(plan.rows, re.subarray(o, o + width), im.subarray(o, o + width), inverse);
  }
  const cr = new Float64Array(height);
  const ci = new Float64Array(height);
  for (let x = 0; x < width; x++) {
    for (let y = 0, i = x; y < height; y++, i += width) { cr[y] = re[i]; ci[y] = im[i]; }
    fftInPlace(plan.cols, cr, ci, inverse);
    for (let y = 0, i = x; y < height; y++, i += width) { re[i] = cr[y]; im[i] = ci[y]; }
  }
}
