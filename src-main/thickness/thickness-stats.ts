// Summary statistics of a thickness series and the comparison of two sources
// of the same run (e.g. ruler vs Auto Slice & View), as data for plots and
// tables. sd is the sample sd (n - 1), as the papers report it.
import { AppError } from '../../src-shared/errors';
import { maxOf, minOf } from '../../src-shared/min-max';
import { medianOf } from './resolve-flags';

export interface ThicknessSummary {
  count: number;
  /** Values that are measured (not null, finite). */
  validCount: number;
  meanNm: number;
  sdNm: number;
  minNm: number;
  maxNm: number;
  medianNm: number;
}

export function summarizeThickness(values: readonly (number | null)[]): ThicknessSummary {
  const x = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = x.length;
  const meanNm = n ? x.reduce((s, v) => s + v, 0) / n : Number.NaN;
  const sdNm = n > 1 ? Math.sqrt(x.reduce((s, v) => s + (v - meanNm) ** 2, 0) / (n - 1)) : Number.NaN;
  return {
    count: values.length,
    validCount: n,
    meanNm,
    sdNm,
    minNm: n ? minOf(x) : Number.NaN,
    maxNm: n ? maxOf(x) : Number.NaN,
    medianNm: medianOf(x),
  };
}

export interface ThicknessComparisonPoint {
  slice: number;
  aNm: number;
  bNm: number;
  /** a - b, nm. */
  differenceNm: number;
}

export interface ThicknessComparison {
  /** Slices where both sources have a value. */
  points: ThicknessComparisonPoint[];
  n: number;
  meanDifferenceNm: number;
  /** Sample sd of the differences, nm. */
  sdDifferenceNm: number;
  /** Pearson correlation of a and b over the points (NaN if either is constant). */
  correlation: number;
}

export function compareThicknessSources(a: readonly (number | null)[], b: readonly (number | null)[]): ThicknessComparison {
  if (a.length !== b.length) throw new AppError('invalid_input', `the two thickness series differ in length (${a.length} and ${b.length}): match both to the stack first (matchSliceCount).`);
  const ok = (v: number | null): v is number => v !== null && Number.isFinite(v);
  const points: ThicknessComparisonPoint[] = [];
  a.forEach((av, i) => {
    const bv = b[i];
    if (ok(av) && ok(bv)) points.push({ slice: i, aNm: av, bNm: bv, differenceNm: av - bv });
  });
  const d = summarizeThickness(points.map((p) => p.differenceNm));
  return { points, n: points.length, meanDifferenceNm: d.meanNm, sdDifferenceNm: d.sdNm, correlation: pearson(points.map((p) => p.aNm), points.map((p) => p.bNm)) };
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}
