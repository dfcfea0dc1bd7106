// The drift path of a stack from many pairwise matches at once. Each accepted match
// of slices i < j says T(j) - T(i) = s_ij (T: the translation that brings a slice
// onto slice 0; s_ij: the translation that brings slice j onto slice i), with a
// standard error per axis. With matches at several distances (1, 2, 3, 5, 8) every
// translation is measured along many routes: the weighted least-squares solution
// averages them, so the error of slice i no longer grows as the random walk of a
// sum of neighbour matches, and a wrong match disagrees with the routes around it.
//
// Outliers: iteratively, matches whose residual exceeds OUTLIER_SIGMAS times their
// standard error (scaled by the spread of all residuals when that is larger) are
// left out and the path solved again; a match may come back when the path moves.
// Errors: the covariance of the solution, scaled up by sqrt(chi^2 / degrees of
// freedom) when the matches disagree more than their standard errors say (never
// scaled down: the stated errors are the floor), plus the errors each slice shares
// among all its matches (sliceVariance below).
//
// A weak tie T(i+1) - T(i) = 0 with a standard error of TIE_PX keeps the system
// solvable when no accepted match reaches some slices: they take the translation of
// their neighbours (what a failed match meant before), with an error of that size,
// and are reported as not connected. Solved per axis by a banded Cholesky
// factorisation (bandwidth = the largest distance), O(slices x distance^2).
import { AppError } from '../../src-shared/errors';
import type { Translation } from './translate-slices';

export interface DriftPair {
  /** Reference slice i < moving slice j. */
  i: number;
  j: number;
  /** Translation that brings slice j onto slice i, px. */
  dy: number;
  dx: number;
  /** Standard errors, px (finite and > 0). */
  sigmaDy: number;
  sigmaDx: number;
}

export interface DriftPath {
  /** Per slice: translation onto slice 0 (path[0] = 0, 0). */
  path: Translation[];
  /** Per slice: standard error of path[i] relative to slice 0, px. */
  sigma: Translation[];
  /** Per pair: kept in the final fit (false: an outlier). */
  used: boolean[];
  /** Per slice: linked to slice 0 by kept pairs. */
  connected: boolean[];
  /** sqrt(chi^2 / dof) of the kept pairs (>= 0); the errors were multiplied by max(1, this). */
  spread: number;
  degreesOfFreedom: number;
}

export const OUTLIER_SIGMAS = 4;
export const TIE_PX = 50;
const MAX_ITERATIONS = 12;

/** Cholesky of a symmetric positive definite band matrix, in place: band[i * (b + 1) + k] = M(i, i - k). */
function bandCholesky(band: Float64Array, n: number, b: number): void {
  const w = b + 1;
  for (let i = 0; i < n; i++) {
    for (let k = Math.min(b, i); k >= 0; k--) {
      const j = i - k;
      let s = band[i * w + k];
      for (let m = 1; m <= b - k && j - m >= 0; m++) s -= band[i * w + k + m] * band[j * w + m];
      if (k === 0) {
        if (!(s > 0)) throw new AppError('internal', `drift fit: normal matrix not positive definite at slice ${i + 1}`);
        band[i * w] = Math.sqrt(s);
      } else {
        band[i * w + k] = s / band[j * w];
      }
    }
  }
}

/** Solves L L^T x = rhs with the factor from bandCholesky. */
function bandSolve(band: Float64Array, n: number, b: number, rhs: Float64Array): Float64Array {
  const w = b + 1;
  const y = rhs.slice();
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let k = 1; k <= Math.min(b, i); k++) s -= band[i * w + k] * y[i - k];
    y[i] = s / band[i * w];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = 1; k <= Math.min(b, n - 1 - i); k++) s -= band[(i + k) * w + k] * y[i + k];
    y[i] = s / band[i * w];
  }
  return y;
}

/** One axis: unknowns T(1..n-1) (T(0) = 0). Returns the path and the diagonal of the covariance. */
function solveAxis(n: number, pairs: readonly DriftPair[], keep: readonly boolean[], axis: 'dy' | 'dx', withVariance: boolean): { t: Float64Array; variance: Float64Array } {
  const m = n - 1;
  let b = 1;
  for (const p of pairs) b = Math.max(b, p.j - p.i);
  const w = b + 1;
  const band = new Float64Array(m * w);
  const rhs = new Float64Array(m);
  const add = (i: number, j: number, value: number, weight: number) => {
    // Row of the design: +1 at T(j), -1 at T(i); T(0) is fixed at 0, unknown index = slice - 1.
    const a = i - 1, c = j - 1;
    if (c >= 0) { band[c * w] += weight; rhs[c] += weight * value; }
    if (a >= 0) { band[a * w] += weight; rhs[a] -= weight * value; }
    if (a >= 0 && c >= 0) band[c * w + (c - a)] -= weight;
  };
  for (let i = 0; i + 1 < n; i++) add(i, i + 1, 0, 1 / (TIE_PX * TIE_PX));
  pairs.forEach((p, k) => {
    if (!keep[k]) return;
    const s = axis === 'dy' ? p.sigmaDy : p.sigmaDx;
    add(p.i, p.j, p[axis], 1 / (s * s));
  });
  bandCholesky(band, m, b);
  const t = new Float64Array(n);
  t.set(bandSolve(band, m, b, rhs), 1);
  const variance = new Float64Array(n);
  if (withVariance) {
    const e = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      e.fill(0);
      e[i] = 1;
      variance[i + 1] = bandSolve(band, m, b, e)[i];
    }
  }
  return { t, variance };
}

function connectedToFirst(n: number, pairs: readonly DriftPair[], keep: readonly boolean[]): boolean[] {
  const parent = Array.from({ length: n }, (_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  pairs.forEach((p, k) => { if (keep[k]) parent[root(p.j)] = root(p.i); });
  return Array.from({ length: n }, (_, i) => root(i) === root(0));
}

/**
 * Robust weighted least-squares drift path of n slices from pairwise matches.
 * sliceVariance: per slice, the variance (px^2, per axis) of an error that every
 * match of that slice shares (its own noise against the structure): the matches
 * cannot average it out and their residuals do not show it, so it is left out of
 * the pairs' errors and added to the slice's (and slice 0's) error afterwards.
 */
export function fitDriftPath(n: number, pairs: readonly DriftPair[], sliceVariance?: readonly Translation[]): DriftPath {
  if (!Number.isInteger(n) || n < 1) throw new AppError('invalid_input', `a drift path needs at least one slice, got ${n}`);
  for (const p of pairs) {
    const ok = Number.isInteger(p.i) && Number.isInteger(p.j) && p.i >= 0 && p.i < p.j && p.j < n &&
      [p.dy, p.dx].every(Number.isFinite) && [p.sigmaDy, p.sigmaDx].every((s) => Number.isFinite(s) && s > 0);
    if (!ok) throw new AppError('invalid_input', `pair (${p.i}, ${p.j}) needs slices 0 <= i < j < ${n}, finite shifts and positive finite errors`);
  }
  if (n === 1) return { path: [{ dy: 0, dx: 0 }], sigma: [{ dy: 0, dx: 0 }], used: pairs.map(() => true), connected: [true], spread: 0, degreesOfFreedom: 0 };
  let keep = pairs.map(() => true);
  let fit = { y: solveAxis(n, pairs, keep, 'dy', false).t, x: solveAxis(n, pairs, keep, 'dx', false).t };
  const residual = (p: DriftPair, f: typeof fit) => ({
    y: (f.y[p.j] - f.y[p.i] - p.dy) / p.sigmaDy,
    x: (f.x[p.j] - f.x[p.i] - p.dx) / p.sigmaDx,
  });
  let spread = 1;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const r = pairs.map((p) => residual(p, fit));
    // Spread of the kept residuals, robustly (median |r| / 0.6745), at least 1.
    const kept = r.flatMap((v, k) => (keep[k] ? [Math.abs(v.y), Math.abs(v.x)] : [])).sort((a, b) => a - b);
    spread = kept.length > 0 ? Math.max(1, kept[kept.length >> 1] / 0.6745) : 1;
    const next = r.map((v) => Math.max(Math.abs(v.y), Math.abs(v.x)) <= OUTLIER_SIGMAS * spread);
    if (next.every((v, k) => v === keep[k])) break;
    keep = next;
    fit = { y: solveAxis(n, pairs, keep, 'dy', false).t, x: solveAxis(n, pairs, keep, 'dx', false).t };
  }
  const y = solveAxis(n, pairs, keep, 'dy', true);
  const x = solveAxis(n, pairs, keep, 'dx', true);
  let chi2 = 0;
  let used = 0;
  pairs.forEach((p, k) => {
    if (!keep[k]) return;
    const v = residual(p, { y: y.t, x: x.t });
    chi2 += v.y * v.y + v.x * v.x;
    used++;
  });
  const connected = connectedToFirst(n, pairs, keep);
  const unknowns = connected.filter(Boolean).length - 1;
  const degreesOfFreedom = 2 * (used - unknowns);
  const chiSpread = degreesOfFreedom > 0 ? Math.sqrt(chi2 / degreesOfFreedom) : 0;
  const inflate = Math.max(1, chiSpread);
  const own = (i: number, axis: 'dy' | 'dx') => (i === 0 || !sliceVariance ? 0 : sliceVariance[i][axis] + sliceVariance[0][axis]);
  return {
    path: Array.from({ length: n }, (_, i) => ({ dy: y.t[i], dx: x.t[i] })),
    sigma: Array.from({ length: n }, (_, i) => ({
      dy: Math.sqrt(inflate * inflate * y.variance[i] + own(i, 'dy')),
      dx: Math.sqrt(inflate * inflate * x.variance[i] + own(i, 'dx')),
    })),
    used: keep,
    connected,
    spread: chiSpread,
    degreesOfFreedom,
  };
}
