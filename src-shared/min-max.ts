// Largest and smallest value of an array of any length. `Math.max(...values)`
// passes every value as a function argument and overflows the call stack at
// around 100 000 values (a thickness table of a long run, per-slice shifts);
// these loops have no such limit. Same results as Math.max / Math.min:
// -Infinity / Infinity for no values, NaN when any value is NaN.

export function maxOf(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > m) m = v;
    else if (v !== v) return Number.NaN;
  }
  return m;
}

export function minOf(values: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < m) m = v;
    else if (v !== v) return Number.NaN;
  }
  return m;
}
