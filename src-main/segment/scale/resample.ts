// In-plane resampling of one slice (y and x; never z), separable, float32 out.
// Shrinking an axis (n -> m < n pixels) averages areas: output pixel i is the mean of
// the input over [i n/m, (i + 1) n/m), input pixels counted by the part of them that
// lies inside (a box filter of the output pixel's width, so nothing aliases). Enlarging
// (m > n) interpolates linearly between pixel centres, with the centres of both grids
// at (i + 1/2) times the pixel size (skimage.transform.resize order 1, mode 'edge');
// past the outermost centres the edge value holds. m = n copies. Used both ways: slices
// to the model's scale, and the model's probabilities back to the slice's own grid.
// Pure: typed arrays in and out.

/** Input taps of every output pixel along one axis: output i = sum of weight[k] * input[index[k]] for k in [start[i], start[i + 1]). */
interface AxisTaps {
  start: Int32Array;
  index: Int32Array;
  weight: Float64Array;
}

const cache = new Map<string, AxisTaps>();

function axisTaps(n: number, m: number): AxisTaps {
  const key = `${n}:${m}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const index: number[] = [];
  const weight: number[] = [];
  const start = new Int32Array(m + 1);
  if (m < n) {
    const width = n / m;
    for (let i = 0; i < m; i++) {
      start[i] = index.length;
      const a = i * width;
      const b = (i + 1) * width;
      for (let j = Math.floor(a); j < Math.min(n, Math.ceil(b)); j++) {
        const overlap = Math.min(b, j + 1) - Math.max(a, j);
        if (overlap > 1e-12) {
          index.push(j);
          weight.push(overlap / width);
        }
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      start[i] = index.length;
      const x = Math.min(n - 1, Math.max(0, ((i + 0.5) * n) / m - 0.5));
      const j = Math.floor(x);
      const f = x - j;
      index.push(j);
      weight.push(1 - f);
      if (f > 0) {
        index.push(Math.min(n - 1, j + 1));
        weight.push(f);
      }
    }
  }
  start[m] = index.length;
  const taps = { start, index: Int32Array.from(index), weight: Float64Array.from(weight) };
  if (cache.size > 64) cache.clear();
  cache.set(key, taps);
  return taps;
}

/**
 * Resamples one slice of ny x nx pixels (row-major, x fastest) to my x mx pixels. Integer
 * or float input; float32 output.
 */
export function resampleSlice(src: ArrayLike<number>, ny: number, nx: number, my: number, mx: number): Float32Array {
  for (const [name, v] of [['ny', ny], ['nx', nx], ['my', my], ['mx', mx]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`resampleSlice: ${name} must be a positive integer, got ${v}`);
  }
  if (src.length !== ny * nx) throw new RangeError(`resampleSlice: the slice has ${src.length} pixels, expected ${ny} x ${nx}`);
  const tx = axisTaps(nx, mx);
  const ty = axisTaps(ny, my);
  // x first: ny rows of mx.
  const rows = new Float64Array(ny * mx);
  for (let y = 0; y < ny; y++) {
    const base = y * nx;
    const o = y * mx;
    for (let i = 0; i < mx; i++) {
      let s = 0;
      for (let k = tx.start[i]; k < tx.start[i + 1]; k++) s += tx.weight[k] * src[base + tx.index[k]];
      rows[o + i] = s;
    }
  }
  const out = new Float32Array(my * mx);
  for (let i = 0; i < my; i++) {
    const o = i * mx;
    for (let k = ty.start[i]; k < ty.start[i + 1]; k++) {
      const w = ty.weight[k];
      const r = ty.index[k] * mx;
      for (let x = 0; x < mx; x++) out[o + x] += w * rows[r + x];
    }
  }
  return out;
}

/** resampleSlice on each of `channels` planes stored one after another (channel-major, as the engine returns probabilities). */
export function resampleChannels(src: Float32Array, channels: number, ny: number, nx: number, my: number, mx: number): Float32Array {
  if (src.length !== channels * ny * nx) throw new RangeError(`resampleChannels: ${src.length} values, expected ${channels} x ${ny} x ${nx}`);
  if (channels === 1) return resampleSlice(src, ny, nx, my, mx);
  const out = new Float32Array(channels * my * mx);
  for (let c = 0; c < channels; c++) out.set(resampleSlice(src.subarray(c * ny * nx, (c + 1) * ny * nx), ny, nx, my, mx), c * my * mx);
  return out;
}
