// SLIC superpixels (Achanta et al. 2012) on one grey slice, in the spirit of
// skimage.segmentation.slic(image, n_segments, compactness, channel_axis=None)
// but not bit-exact:
// - intensities are scaled to [0, 1] with a given range (the hybrid method
//   passes the stack minimum and maximum, so all slices share one scale;
//   skimage scales each image by its own min and max);
// - seeds on a square grid of step s = max(1, round(sqrt(ny nx / nSegments))),
//   first seed at (floor(s / 2), floor(s / 2)); no move to the lowest gradient;
// - distance D = ((I - I_c) / compactness)^2 + ((y - y_c)^2 + (x - x_c)^2) / s^2,
//   searched in a (2s + 1)^2 window around every centre (the paper's 2S x 2S);
//   larger compactness = squarer superpixels; 0.01 .. 1 suits [0, 1] intensities;
// - maxIterations Lloyd steps (default 10, as skimage), centres = mean (y, x, I);
// - connectivity enforced afterwards: every 4-connected piece is its own
//   superpixel, pieces smaller than s^2 / 2 pixels join the superpixel of an
//   already-visited neighbour of their first pixel (raster order).
// Labels are 0 .. count - 1, numbered in raster order of first appearance.

export interface SlicOptions {
  nSegments: number;
  compactness: number;
  maxIterations?: number;
  /** Intensity range mapped to [0, 1] (default: the slice's min and max). */
  range?: { min: number; max: number };
  enforceConnectivity?: boolean;
}

export interface SlicResult {
  labels: Int32Array;
  count: number;
  step: number;
}

export function slic(image: ArrayLike<number>, ny: number, nx: number, opts: SlicOptions): SlicResult {
  const n = ny * nx;
  let lo = opts.range?.min;
  let hi = opts.range?.max;
  if (lo === undefined || hi === undefined) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, image[i]);
      hi = Math.max(hi, image[i]);
    }
  }
  const scale = hi > lo ? 1 / (hi - lo) : 0;
  const I = new Float64Array(n);
  for (let i = 0; i < n; i++) I[i] = (image[i] - lo) * scale;
  const step = Math.max(1, Math.round(Math.sqrt(n / Math.max(1, opts.nSegments))));
  const oy = Math.min(Math.floor(step / 2), ny - 1);
  const ox = Math.min(Math.floor(step / 2), nx - 1);
  const rows = Math.ceil((ny - oy) / step);
  const cols = Math.ceil((nx - ox) / step);
  const cy: number[] = [];
  const cx: number[] = [];
  const ci: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      cy.push(oy + r * step);
      cx.push(ox + q * step);
      ci.push(I[(oy + r * step) * nx + ox + q * step]);
    }
  }
  const k = cy.length;
  // Before the first step every pixel belongs to the seed of its grid cell.
  const labels = new Int32Array(n);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) labels[y * nx + x] = Math.min(rows - 1, Math.floor(y / step)) * cols + Math.min(cols - 1, Math.floor(x / step));
  }
  const invM2 = 1 / (opts.compactness * opts.compactness);
  const invS2 = 1 / (step * step);
  const dist = new Float64Array(n);
  const iters = opts.maxIterations ?? 10;
  for (let it = 0; it < iters; it++) {
    dist.fill(Infinity);
    for (let c = 0; c < k; c++) {
      const y0 = Math.max(0, Math.floor(cy[c] - step));
      const y1 = Math.min(ny - 1, Math.ceil(cy[c] + step));
      const x0 = Math.max(0, Math.floor(cx[c] - step));
      const x1 = Math.min(nx - 1, Math.ceil(cx[c] + step));
      for (let y = y0; y <= y1; y++) {
        const dy2 = (y - cy[c]) * (y - cy[c]);
        for (let x = x0; x <= x1; x++) {
          const i = y * nx + x;
          const di = I[i] - ci[c];
          const d = di * di * invM2 + (dy2 + (x - cx[c]) * (x - cx[c])) * invS2;
          if (d < dist[i]) {
            dist[i] = d;
            labels[i] = c;
          }
        }
      }
    }
    const sy = new Float64Array(k);
    const sx = new Float64Array(k);
    const si = new Float64Array(k);
    const sn = new Float64Array(k);
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const i = y * nx + x;
        const c = labels[i];
        sy[c] += y;
        sx[c] += x;
        si[c] += I[i];
        sn[c]++;
      }
    }
    for (let c = 0; c < k; c++) {
      if (sn[c] === 0) continue;
      cy[c] = sy[c] / sn[c];
      cx[c] = sx[c] / sn[c];
      ci[c] = si[c] / sn[c];
    }
  }
  if (opts.enforceConnectivity === false) return relabel(labels, step);
  return connect(labels, ny, nx, step);
}

function relabel(labels: Int32Array, step: number): SlicResult {
  const map = new Map<number, number>();
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let v = map.get(labels[i]);
    if (v === undefined) map.set(labels[i], (v = map.size));
    out[i] = v;
  }
  return { labels: out, count: map.size, step };
}

function connect(labels: Int32Array, ny: number, nx: number, step: number): SlicResult {
  const n = ny * nx;
  const out = new Int32Array(n).fill(-1);
  const minSize = Math.floor((step * step) / 2);
  const queue = new Int32Array(n);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (out[start] >= 0) continue;
    const sy = Math.floor(start / nx);
    const sx = start - sy * nx;
    let adjacent = -1;
    if (sx > 0 && out[start - 1] >= 0) adjacent = out[start - 1];
    else if (sy > 0 && out[start - nx] >= 0) adjacent = out[start - nx];
    const lab = labels[start];
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    out[start] = count;
    while (head < tail) {
      const i = queue[head++];
      const y = Math.floor(i / nx);
      const x = i - y * nx;
      const nb = [x > 0 ? i - 1 : -1, x < nx - 1 ? i + 1 : -1, y > 0 ? i - nx : -1, y < ny - 1 ? i + nx : -1];
      for (const j of nb) {
        if (j >= 0 && out[j] < 0 && labels[j] === lab) {
          out[j] = count;
          queue[tail++] = j;
        }
      }
    }
    if (tail < minSize && adjacent >= 0) {
      for (let q = 0; q < tail; q++) out[queue[q]] = adjacent;
    } else {
      count++;
    }
  }
  return { labels: out, count, step };
}
