// Cubic splines with not-a-knot ends (scipy.interpolate.CubicSpline semantics)
// for many columns that share one set of knots: the slope system depends only on
// the knots, so it is factored once (Thomas algorithm) and then applied to every
// column with one forward and one backward sweep, vectorised over the columns.
//
// Layout: values y[k * columns + c] (knot-major), as planes of a volume are.
// Slope system (as in scipy, s_k = derivative at knot k, m_k = secant slope):
//   row 0:      dx1 s0 + (x2 - x0) s1 = ((dx0 + 2 (x2 - x0)) dx1 m0 + dx0^2 m1) / (x2 - x0)
//   row k:      dx_k s_{k-1} + 2 (dx_{k-1} + dx_k) s_k + dx_{k-1} s_{k+1} = 3 (dx_k m_{k-1} + dx_{k-1} m_k)
//   row n - 1:  (x_{n-1} - x_{n-3}) s_{n-2} + dx_{n-3} s_{n-1} = (dx_{n-2}^2 m_{n-3} + (2 d + dx_{n-2}) dx_{n-3} m_{n-2}) / d
// n = 3: scipy's parabola (s0 + s1 = 2 m0, s1 + s2 = 2 m1); n = 2: the straight line;
// n = 1: a constant (scipy refuses one knot; a gap filler must still answer).
// Without pivoting the sweep is stable here: after eliminating row 0 the pivots are
// (dx0 + dx1) > dx0 and then diagonally dominant.
import { AppError } from '../../src-shared/errors';

export interface SplineFactor {
  x: Float64Array;
  dx: Float64Array;
  /** Sub-diagonal a_k, 1 / pivot, and modified super-diagonal c'_k of the slope system. */
  lower: Float64Array;
  invPivot: Float64Array;
  upperMod: Float64Array;
  /** rhs_k = p_k m[i_k] + q_k m[j_k]. */
  rhsP: Float64Array;
  rhsQ: Float64Array;
  rhsI: Int32Array;
  rhsJ: Int32Array;
}

export function factorNotAKnotSpline(knots: readonly number[]): SplineFactor {
  const n = knots.length;
  if (n === 0) throw new AppError('invalid_input', 'a spline needs at least one known plane');
  const x = Float64Array.from(knots);
  const dx = new Float64Array(Math.max(0, n - 1));
  for (let k = 0; k < n - 1; k++) {
    dx[k] = x[k + 1] - x[k];
    if (!(dx[k] > 0)) throw new AppError('invalid_input', `spline knots must strictly increase, got ${x[k]} then ${x[k + 1]}`);
  }
  const a = new Float64Array(n);
  const b = new Float64Array(n).fill(1);
  const c = new Float64Array(n);
  const rhsP = new Float64Array(n);
  const rhsQ = new Float64Array(n);
  const rhsI = new Int32Array(n);
  const rhsJ = new Int32Array(n);
  if (n === 2) {
    rhsP[0] = rhsP[1] = 1; // s0 = s1 = m0
  } else if (n === 3) {
    c[0] = 1;
    rhsP[0] = 2;
    a[1] = dx[1];
    b[1] = 2 * (dx[0] + dx[1]);
    c[1] = dx[0];
    rhsP[1] = 3 * dx[1];
    rhsQ[1] = 3 * dx[0];
    rhsJ[1] = 1;
    a[2] = 1;
    rhsP[2] = 2;
    rhsI[2] = 1;
  } else if (n > 3) {
    const d0 = x[2] - x[0];
    b[0] = dx[1];
    c[0] = d0;
    rhsP[0] = ((dx[0] + 2 * d0) * dx[1]) / d0;
    rhsQ[0] = (dx[0] * dx[0]) / d0;
    rhsJ[0] = 1;
    for (let k = 1; k < n - 1; k++) {
      a[k] = dx[k];
      b[k] = 2 * (dx[k - 1] + dx[k]);
      c[k] = dx[k - 1];
      rhsP[k] = 3 * dx[k];
      rhsQ[k] = 3 * dx[k - 1];
      rhsI[k] = k - 1;
      rhsJ[k] = k;
    }
    const d1 = x[n - 1] - x[n - 3];
    a[n - 1] = d1;
    b[n - 1] = dx[n - 3];
    rhsP[n - 1] = (dx[n - 2] * dx[n - 2]) / d1;
    rhsQ[n - 1] = ((2 * d1 + dx[n - 2]) * dx[n - 3]) / d1;
    rhsI[n - 1] = n - 3;
    rhsJ[n - 1] = n - 2;
  }
  const invPivot = new Float64Array(n);
  const upperMod = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const pivot = k === 0 ? b[0] : b[k] - a[k] * upperMod[k - 1];
    invPivot[k] = 1 / pivot;
    upperMod[k] = c[k] * invPivot[k];
  }
  return { x, dx, lower: a, invPivot, upperMod, rhsP, rhsQ, rhsI, rhsJ };
}

/** Knot slopes s[k * columns + c] of every column. */
export function splineSlopes(f: SplineFactor, y: Float64Array, columns: number): Float64Array {
  const n = f.x.length;
  const s = new Float64Array(n * columns);
  if (n === 1) return s;
  // Secant slopes m[k * columns + c].
  const m = new Float64Array((n - 1) * columns);
  for (let k = 0; k < n - 1; k++) {
    const inv = 1 / f.dx[k];
    const o = k * columns;
    for (let c = 0; c < columns; c++) m[o + c] = (y[o + columns + c] - y[o + c]) * inv;
  }
  // Forward sweep: s holds d'_k.
  for (let k = 0; k < n; k++) {
    const p = f.rhsP[k];
    const q = f.rhsQ[k];
    const oi = f.rhsI[k] * columns;
    const oj = f.rhsJ[k] * columns;
    const o = k * columns;
    const inv = f.invPivot[k];
    if (k === 0) {
      for (let c = 0; c < columns; c++) s[c] = (p * m[oi + c] + q * m[oj + c]) * inv;
    } else {
      const a = f.lower[k];
      const op = o - columns;
      for (let c = 0; c < columns; c++) s[o + c] = (p * m[oi + c] + q * m[oj + c] - a * s[op + c]) * inv;
    }
  }
  // Back substitution.
  for (let k = n - 2; k >= 0; k--) {
    const cm = f.upperMod[k];
    const o = k * columns;
    for (let c = 0; c < columns; c++) s[o + c] -= cm * s[o + columns + c];
  }
  return s;
}

/** Index of the polynomial piece used at x (extrapolation uses the end pieces, as scipy does). */
export function splineInterval(f: SplineFactor, x: number): number {
  const n = f.x.length;
  if (n < 2) return 0;
  let lo = 0;
  let hi = n - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (f.x[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Values at x of every column, written to out[outOffset + c]. */
export function evaluateSplineAt(f: SplineFactor, y: Float64Array, s: Float64Array, columns: number, x: number, out: Float64Array, outOffset = 0): void {
  const n = f.x.length;
  if (n === 1) {
    for (let c = 0; c < columns; c++) out[outOffset + c] = y[c];
    return;
  }
  const k = splineInterval(f, x);
  const h = f.dx[k];
  const t = x - f.x[k];
  const o = k * columns;
  for (let c = 0; c < columns; c++) {
    const y0 = y[o + c];
    const s0 = s[o + c];
    const s1 = s[o + columns + c];
    const m = (y[o + columns + c] - y0) / h;
    const c3 = (s0 + s1 - 2 * m) / (h * h);
    const c2 = (m - s0) / h - c3 * h;
    out[outOffset + c] = y0 + t * (s0 + t * (c2 + t * c3));
  }
}

/** Convenience for tests and small jobs: evaluates all columns at every x of xEval, (nEval x columns). */
export function cubicSplineColumns(knots: readonly number[], y: Float64Array, columns: number, xEval: readonly number[]): Float64Array {
  const f = factorNotAKnotSpline(knots);
  const s = splineSlopes(f, y, columns);
  const out = new Float64Array(xEval.length * columns);
  xEval.forEach((x, e) => evaluateSplineAt(f, y, s, columns, x, out, e * columns));
  return out;
}
