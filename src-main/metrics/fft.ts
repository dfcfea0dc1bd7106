// A small in-place radix-2 complex FFT: enough for autocorrelations of lines
// (lengths up to a few thousand), with no dependency.

export interface FftPlan {
  size: number;
  cos: Float64Array;
  sin: Float64Array;
  bitReversed: Uint32Array;
}

export function nextPowerOfTwo(n: number): number {
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

export function fftPlan(size: number): FftPlan {
  if (size < 1 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two, got ${size}`);
  const half = size >> 1;
  const cos = new Float64Array(Math.max(half, 1));
  const sin = new Float64Array(Math.max(half, 1));
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = Math.sin((2 * Math.PI * k) / size);
  }
  const bits = Math.log2(size);
  const bitReversed = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    bitReversed[i] = r;
  }
  return { size, cos, sin, bitReversed };
}

/** In place: X_k = sum_j x_j exp(-+2 pi i j k / n) (sign -1 forward, +1 inverse; no 1/n scaling). */
export function fftInPlace(plan: FftPlan, re: Float64Array, im: Float64Array, inverse = false): void {
  const { size, cos, sin, bitReversed } = plan;
  for (let i = 0; i < size; i++) {
    const j = bitReversed[i];
    if (j > i) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= size; len <<= 1) {
    const half = len >> 1;
    const step = size / len;
    for (let start = 0; start < size; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step];
        const wi = sign * sin[k * step];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
}
