// Otsu's threshold by brute force over the integer grey levels (the reference
// the simulator's manifest is checked against; it uses scikit-image).
import type { SliceArray } from '../../src-shared/dtype';

/** Largest level t that maximises the between-class variance of {v <= t} and {v > t}. */
export function otsuThreshold(slices: readonly SliceArray[]): number {
  const hist = new Map<number, number>();
  for (const s of slices) for (let i = 0; i < s.length; i++) hist.set(s[i], (hist.get(s[i]) ?? 0) + 1);
  const levels = [...hist.keys()].sort((a, b) => a - b);
  let total = 0;
  let sum = 0;
  for (const v of levels) {
    total += hist.get(v)!;
    sum += v * hist.get(v)!;
  }
  let n0 = 0;
  let s0 = 0;
  let best = -1;
  let threshold = levels[0];
  for (const v of levels.slice(0, -1)) {
    n0 += hist.get(v)!;
    s0 += v * hist.get(v)!;
    const n1 = total - n0;
    const between = n0 * n1 * (s0 / n0 - (sum - s0) / n1) ** 2;
    if (between > best) {
      best = between;
      threshold = v;
    }
  }
  return threshold;
}

/** Misclassified percentage of `grey > threshold` against the truth (1 = solid). */
export function misclassifiedPercent(slices: readonly SliceArray[], truth: readonly Uint8Array[], threshold: number): number {
  let wrong = 0;
  let n = 0;
  slices.forEach((s, z) => {
    for (let i = 0; i < s.length; i++) if ((s[i] > threshold ? 1 : 0) !== truth[z][i]) wrong++;
    n += s.length;
  });
  return (100 * wrong) / n;
}

export function solidFraction(truth: readonly Uint8Array[]): number {
  let solid = 0;
  let n = 0;
  for (const t of truth) {
    for (let i = 0; i < t.length; i++) solid += t[i];
    n += t.length;
  }
  return solid / n;
}
