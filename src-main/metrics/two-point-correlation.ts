// Directional two-point correlation S2 of the solid phase, non-periodic:
// S2_d(r) = #{p : p and p + r e_d inside, both solid} / #{p : p and p + r e_d inside}.
import type { Shape3 } from '../../src-shared/volume';
import { type Axis, type BinaryVolume, axisLength, binarySlices, requireLagRange, voxelCount } from './binary-volume';
import { type DirectionalCurve, curveFromCounts, pairsInside } from './directional-curve';
import { fftInPlace, fftPlan, nextPowerOfTwo } from './fft';

export type PairCountMethod = 'auto' | 'direct' | 'fft';

/** sum_i a[offA + i] * b[offB + i] for 0/1 values. */
function solidPairs(a: Uint8Array, offA: number, b: Uint8Array, offB: number, length: number): number {
  let n = 0;
  for (let i = 0; i < length; i++) n += a[offA + i] & b[offB + i];
  return n;
}

/** Solid-solid pair counts for r = 0..rMax by shifting whole rows / slices: O(N rMax), contiguous reads. */
export function solidPairCountsDirect(slices: Uint8Array[], shape: Shape3, axis: Axis, rMax: number): Float64Array {
  const [nz, ny, nx] = shape;
  const counts = new Float64Array(rMax + 1);
  for (let r = 0; r <= rMax; r++) {
    let c = 0;
    if (axis === 'z') {
      for (let k = 0; k + r < nz; k++) c += solidPairs(slices[k], 0, slices[k + r], 0, ny * nx);
    } else if (axis === 'y') {
      for (const s of slices) c += solidPairs(s, 0, s, r * nx, (ny - r) * nx);
    } else {
      for (const s of slices) for (let j = 0; j < ny; j++) c += solidPairs(s, j * nx, s, j * nx + r, nx - r);
    }
    counts[r] = c;
  }
  return counts;
}

/** Copies line `line` along `axis` into out[0..n). Lines are numbered over the two other axes. */
function readLine(slices: Uint8Array[], shape: Shape3, axis: Axis, line: number, out: Float64Array): void {
  const [nz, ny, nx] = shape;
  if (axis === 'x') {
    const s = slices[Math.floor(line / ny)];
    const base = (line % ny) * nx;
    for (let i = 0; i < nx; i++) out[i] = s[base + i];
  } else if (axis === 'y') {
    const s = slices[Math.floor(line / nx)];
    const i0 = line % nx;
    for (let j = 0; j < ny; j++) out[j] = s[j * nx + i0];
  } else {
    for (let k = 0; k < nz; k++) out[k] = slices[k][line];
  }
}

/**
 * Solid-solid pair counts via FFT: the sum over lines of their autocorrelations is the
 * inverse transform of the summed power spectra, so each pair of lines costs one complex
 * FFT (one line in the real part, one in the imaginary part) and each axis one inverse FFT.
 * Zero padding to M >= n + rMax keeps lags up to rMax free of wrap-around.
 */
export function solidPairCountsFft(slices: Uint8Array[], shape: Shape3, axis: Axis, rMax: number): Float64Array {
  const n = axisLength(shape, axis);
  const lines = voxelCount(shape) / n;
  const m = nextPowerOfTwo(n + rMax);
  const plan = fftPlan(m);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  const power = new Float64Array(m);
  const lineBuf = new Float64Array(n);
  for (let line = 0; line < lines; line += 2) {
    re.fill(0);
    im.fill(0);
    readLine(slices, shape, axis, line, lineBuf);
    re.set(lineBuf);
    if (line + 1 < lines) {
      readLine(slices, shape, axis, line + 1, lineBuf);
      im.set(lineBuf);
    }
    fftInPlace(plan, re, im);
    // |A_k|^2 + |B_k|^2 = (|Z_k|^2 + |Z_{m-k}|^2) / 2 for z = a + i b with a, b real.
    for (let k = 0; k < m; k++) {
      const q = k === 0 ? 0 : m - k;
      power[k] += 0.5 * (re[k] * re[k] + im[k] * im[k] + re[q] * re[q] + im[q] * im[q]);
    }
  }
  im.fill(0);
  re.set(power);
  fftInPlace(plan, re, im, true);
  const counts = new Float64Array(rMax + 1);
  // The counts are integers; rounding removes the floating-point noise of the transforms.
  for (let r = 0; r <= rMax; r++) counts[r] = Math.round(re[r] / m);
  return counts;
}

/**
 * Chooses the cheaper method. Measured on Node 20 (128^3, docs/metrics.md): the direct loop
 * costs about 2 ns per voxel per lag, the FFT about 5 ns per voxel per log2(M), M the padded
 * length; so the direct loop wins only while rMax + 1 < 2.5 log2(M) (about 20 lags for M = 256).
 */
const FFT_COST_PER_VOXEL_PER_LOG = 2.5;
export function chooseMethod(shape: Shape3, axis: Axis, rMax: number): 'direct' | 'fft' {
  const m = nextPowerOfTwo(axisLength(shape, axis) + rMax);
  return rMax + 1 <= FFT_COST_PER_VOXEL_PER_LOG * Math.log2(m) ? 'direct' : 'fft';
}

/** S2 of the solid phase along `axis` for r = 0..rMaxVoxels voxel steps. */
export function twoPointCorrelation(volume: BinaryVolume, axis: Axis, rMaxVoxels: number, method: PairCountMethod = 'auto'): DirectionalCurve {
  const slices = binarySlices(volume);
  requireLagRange(volume.shape, axis, rMaxVoxels);
  return twoPointCorrelationOfSlices(slices, volume.shape, volume.voxelSizeNm[axis], axis, rMaxVoxels, method);
}

/** As twoPointCorrelation, on slices already checked by binarySlices and an r range already checked. */
export function twoPointCorrelationOfSlices(
  slices: Uint8Array[], shape: Shape3, voxelSizeNm: number, axis: Axis, rMaxVoxels: number, method: PairCountMethod = 'auto',
): DirectionalCurve {
  const chosen = method === 'auto' ? chooseMethod(shape, axis, rMaxVoxels) : method;
  const counts = chosen === 'direct'
    ? solidPairCountsDirect(slices, shape, axis, rMaxVoxels)
    : solidPairCountsFft(slices, shape, axis, rMaxVoxels);
  const n = axisLength(shape, axis);
  const totals = Array.from({ length: rMaxVoxels + 1 }, (_, r) => pairsInside(voxelCount(shape), n, r));
  return curveFromCounts(axis, counts, totals, voxelSizeNm);
}
