// Interpolation of the gap planes of a repositioned volume along z, per (y, x)
// column, from the known planes only. Known planes are never written.
//   nearest: the known plane with the smallest |k - j|; on a tie (j exactly halfway)
//            the shallower plane (smaller index). Outside the known range: the end plane.
//   linear:  between the two neighbouring known planes; outside the range: the end
//            plane (numpy.interp semantics).
//   cubic:   not-a-knot cubic spline through all known planes (fill-cubic-spline.ts);
//            outside the range the end pieces extrapolate, as scipy does by default.
// Values are written through `store`, which rounds, clamps or thresholds.
import { throwIfAborted } from '../../src-shared/errors';
import type { SliceArray } from '../../src-shared/dtype';
import { evaluateSplineAt, factorNotAKnotSpline, splineSlopes } from './fill-cubic-spline';

export type GapFillMethod = 'nearest' | 'linear' | 'cubic';

/** Writes float values into a plane at [offset, offset + values.length). */
export type PlaneStore = (plane: SliceArray, offset: number, values: Float64Array) => void;

export interface ZFillJob {
  slices: SliceArray[];
  known: Uint8Array;
  store: PlaneStore;
  signal?: AbortSignal;
  /** Called with the fraction of gap planes (or pixel blocks) done. */
  progress?: (fraction: number) => void;
}

/** Elements of the knot-by-pixel block of the cubic path (~64 MB of float64 each for values and slopes). */
const CUBIC_BLOCK_ELEMENTS = 8_000_000;

function knownIndices(known: Uint8Array): number[] {
  const k: number[] = [];
  known.forEach((v, i) => v && k.push(i));
  return k;
}

/** Neighbouring known planes of gap plane j: [below-or-equal, above-or-equal], -1 where none. */
function neighbours(knots: number[], j: number): [number, number] {
  let lo = 0;
  let hi = knots.length - 1;
  if (j < knots[0]) return [-1, knots[0]];
  if (j > knots[hi]) return [knots[hi], -1];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (knots[mid] <= j) lo = mid;
    else hi = mid;
  }
  return [knots[lo], knots[hi]];
}

export function fillNearest(job: ZFillJob): void {
  const knots = knownIndices(job.known);
  const gaps = job.known.length - knots.length;
  let done = 0;
  job.known.forEach((isKnown, j) => {
    if (isKnown) return;
    throwIfAborted(job.signal);
    const [a, b] = neighbours(knots, j);
    const from = a < 0 ? b : b < 0 ? a : j - a <= b - j ? a : b;
    job.slices[j].set(job.slices[from]);
    job.progress?.(++done / gaps);
  });
}

export function fillLinear(job: ZFillJob): void {
  const knots = knownIndices(job.known);
  const gaps = job.known.length - knots.length;
  let done = 0;
  const n = job.slices[0].length;
  const row = new Float64Array(n);
  job.known.forEach((isKnown, j) => {
    if (isKnown) return;
    throwIfAborted(job.signal);
    const [a, b] = neighbours(knots, j);
    if (a < 0 || b < 0) {
      job.slices[j].set(job.slices[a < 0 ? b : a]);
    } else {
      const w = (j - a) / (b - a);
      const pa = job.slices[a];
      const pb = job.slices[b];
      for (let i = 0; i < n; i++) row[i] = pa[i] + w * (pb[i] - pa[i]);
      job.store(job.slices[j], 0, row);
    }
    job.progress?.(++done / gaps);
  });
}

export function fillCubic(job: ZFillJob): void {
  const knots = knownIndices(job.known);
  const f = factorNotAKnotSpline(knots);
  const n = job.slices[0].length;
  const gapPlanes: number[] = [];
  job.known.forEach((v, j) => v || gapPlanes.push(j));
  const block = Math.max(1, Math.min(n, Math.floor(CUBIC_BLOCK_ELEMENTS / knots.length)));
  const y = new Float64Array(knots.length * block);
  const out = new Float64Array(block);
  for (let p0 = 0; p0 < n; p0 += block) {
    throwIfAborted(job.signal);
    const cols = Math.min(block, n - p0);
    const yb = cols === block ? y : y.subarray(0, knots.length * cols);
    knots.forEach((k, i) => {
      const plane = job.slices[k];
      for (let c = 0; c < cols; c++) yb[i * cols + c] = plane[p0 + c];
    });
    const s = splineSlopes(f, yb, cols);
    const ob = out.subarray(0, cols);
    for (const j of gapPlanes) {
      evaluateSplineAt(f, yb, s, cols, j, ob);
      job.store(job.slices[j], p0, ob);
    }
    job.progress?.(Math.min(1, (p0 + cols) / n));
  }
}
