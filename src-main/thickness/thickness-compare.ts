// Ruler vs ASV: two thickness series of one volume compared slice by slice
// (pure). The difference is b − a, nm, over the slices where both hold a
// finite value; sd with n − 1; Pearson correlation, null when undefined.
export interface ThicknessDifference {
  /** Slices where both series hold a value. */
  n: number;
  meanDiffNm: number;
  sdDiffNm: number;
  maxAbsDiffNm: number;
  correlation: number | null;
}

export function compareThicknessSeries(a: readonly (number | null)[], b: readonly (number | null)[]): ThicknessDifference {
  const pairs: [number, number][] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) pairs.push([x, y]);
  }
  const n = pairs.length;
  if (n === 0) return { n, meanDiffNm: Number.NaN, sdDiffNm: Number.NaN, maxAbsDiffNm: Number.NaN, correlation: null };
  const d = pairs.map(([x, y]) => y - x);
  const mean = d.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  const maxAbs = d.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const mx = pairs.reduce((s, p) => s + p[0], 0) / n;
  const my = pairs.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const correlation = n > 1 && sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
  return { n, meanDiffNm: mean, sdDiffNm: sd, maxAbsDiffNm: maxAbs, correlation };
}
