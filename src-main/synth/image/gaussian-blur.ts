// Separable Gaussian blur of a float image, clamp-to-edge borders.
// Small sigmas use the exact sampled kernel; from BOX_FROM_SIGMA px on, three
// running-sum box passes per axis (central limit: three boxes are a Gaussian to
// ~3 % of its peak) so that the cost does not grow with sigma: the shine-through
// of 4 kV needs sigmas of tens of pixels on every slice.

/** From this sigma (px) on, the blur is three box passes. */
export const BOX_FROM_SIGMA = 1.5;

/** Blurs `image` (nx columns, ny rows) in place; `scratch` must have the same length. */
export function gaussianBlur(image: Float32Array, nx: number, ny: number, sigmaPx: number, scratch = new Float32Array(image.length)): Float32Array {
  if (!(sigmaPx > 0.05)) return image;
  if (sigmaPx < BOX_FROM_SIGMA) {
    const kernel = gaussianKernel(sigmaPx);
    convolveRows(image, scratch, nx, ny, kernel);
    convolveColumns(scratch, image, nx, ny, kernel);
    return image;
  }
  for (const r of boxRadiiForGauss(sigmaPx, 3)) {
    boxRows(image, scratch, nx, ny, r);
    boxColumns(scratch, image, nx, ny, r);
  }
  return image;
}

export function gaussianKernel(sigmaPx: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigmaPx));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-(i * i) / (2 * sigmaPx * sigmaPx));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Radii of n boxes whose sum of variances is sigma^2 (Kovesi's "boxes for Gauss"). */
export function boxRadiiForGauss(sigmaPx: number, n: number): number[] {
  const wIdeal = Math.sqrt((12 * sigmaPx * sigmaPx) / n + 1);
  let wl = Math.floor(wIdeal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const mIdeal = (12 * sigmaPx * sigmaPx - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4);
  const m = Math.round(mIdeal);
  return Array.from({ length: n }, (_, i) => ((i < m ? wl : wu) - 1) / 2);
}

function convolveRows(src: Float32Array, dst: Float32Array, nx: number, ny: number, k: Float32Array): void {
  const r = (k.length - 1) / 2;
  const klen = k.length;
  for (let y = 0; y < ny; y++) {
    const o = y * nx;
    for (let x = 0; x < nx; x++) {
      let s = 0;
      if (x >= r && x + r < nx) {
        const b = o + x - r;
        for (let i = 0; i < klen; i++) s += k[i] * src[b + i];
      } else {
        for (let i = -r; i <= r; i++) {
          const xx = x + i < 0 ? 0 : x + i >= nx ? nx - 1 : x + i;
          s += k[i + r] * src[o + xx];
        }
      }
      dst[o + x] = s;
    }
  }
}

function convolveColumns(src: Float32Array, dst: Float32Array, nx: number, ny: number, k: Float32Array): void {
  const r = (k.length - 1) / 2;
  for (let y = 0; y < ny; y++) {
    const o = y * nx;
    dst.fill(0, o, o + nx);
    for (let i = -r; i <= r; i++) {
      const yy = y + i < 0 ? 0 : y + i >= ny ? ny - 1 : y + i;
      const w = k[i + r];
      const so = yy * nx;
      for (let x = 0; x < nx; x++) dst[o + x] += w * src[so + x];
    }
  }
}

function boxRows(src: Float32Array, dst: Float32Array, nx: number, ny: number, r: number): void {
  const inv = 1 / (2 * r + 1);
  const last = nx - 1;
  for (let y = 0; y < ny; y++) {
    const o = y * nx;
    let s = 0;
    for (let i = -r; i <= r; i++) s += src[o + (i < 0 ? 0 : i > last ? last : i)];
    // Split so that the middle, where neither end is clamped, runs without branches.
    const midEnd = Math.min(nx, last - r);
    let x = 0;
    for (; x < nx && x - r < 0; x++) {
      dst[o + x] = s * inv;
      s += src[o + Math.min(last, x + r + 1)] - src[o];
    }
    for (; x < midEnd; x++) {
      dst[o + x] = s * inv;
      s += src[o + x + r + 1] - src[o + x - r];
    }
    for (; x < nx; x++) {
      dst[o + x] = s * inv;
      s += src[o + last] - src[o + Math.max(0, x - r)];
    }
  }
}

function boxColumns(src: Float32Array, dst: Float32Array, nx: number, ny: number, r: number): void {
  const inv = 1 / (2 * r + 1);
  const sum = new Float64Array(nx);
  const row = (y: number) => (y < 0 ? 0 : y >= ny ? ny - 1 : y) * nx;
  for (let i = -r; i <= r; i++) {
    const o = row(i);
    for (let x = 0; x < nx; x++) sum[x] += src[o + x];
  }
  for (let y = 0; y < ny; y++) {
    const o = y * nx;
    const ao = row(y + r + 1);
    const so = row(y - r);
    for (let x = 0; x < nx; x++) {
      dst[o + x] = sum[x] * inv;
      sum[x] += src[ao + x] - src[so + x];
    }
  }
}
