// Turning stored voxel values into the float32 input a model was trained on.
import type { SliceArray } from '../../src-shared/dtype';
import type { Normalisation } from './model-card';

/** The k-th smallest value (0-based) of a slice. Integer slices use a histogram (no sort). */
function kthSmallest(a: SliceArray, ks: number[]): number[] {
  if (a instanceof Uint8Array || a instanceof Uint16Array) {
    const hist = new Uint32Array(a instanceof Uint8Array ? 256 : 65536);
    for (let i = 0; i < a.length; i++) hist[a[i]]++;
    return ks.map((k) => {
      let seen = 0;
      for (let v = 0; v < hist.length; v++) {
        seen += hist[v];
        if (seen > k) return v;
      }
      return hist.length - 1;
    });
  }
  const sorted = Float32Array.from(a).sort();
  return ks.map((k) => sorted[k]);
}

/** Percentiles with numpy's default 'linear' interpolation; p in [0, 100]. */
export function percentiles(a: SliceArray, ps: number[]): number[] {
  const n = a.length;
  const ranks = ps.map((p) => (p / 100) * (n - 1));
  const ks = [...new Set(ranks.flatMap((r) => [Math.floor(r), Math.ceil(r)]))];
  const values = new Map(kthSmallest(a, ks).map((v, i) => [ks[i], v]));
  return ranks.map((r) => {
    const lo = values.get(Math.floor(r))!;
    const hi = values.get(Math.ceil(r))!;
    return lo + (hi - lo) * (r - Math.floor(r));
  });
}

/** Normalises one slice into a new Float32Array (the stored slice is not changed). */
export function normaliseSlice(slice: SliceArray, n: Normalisation): Float32Array {
  const out = new Float32Array(slice.length);
  const affine = (offset: number, scale: number, clip: boolean): Float32Array => {
    for (let i = 0; i < slice.length; i++) {
      const v = (slice[i] - offset) * scale;
      out[i] = clip ? (v < 0 ? 0 : v > 1 ? 1 : v) : v;
    }
    return out;
  };
  switch (n.type) {
    case 'none':
      out.set(slice);
      return out;
    case 'scale':
      return affine(n.mean, 1 / n.std, false);
    case 'minmax':
      return affine(n.min, 1 / (n.max - n.min), n.clip);
    case 'minmax-percentile': {
      const [lo, hi] = percentiles(slice, [n.low, n.high]);
      // A flat slice: everything maps to 0 rather than dividing by zero.
      return affine(lo, hi > lo ? 1 / (hi - lo) : 0, n.clip);
    }
  }
}
