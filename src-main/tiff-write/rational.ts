// TIFF RATIONAL values (two unsigned 32-bit integers) for real numbers such as
// pixels per nm. ImageJ writes round(v * 1e6) / 1e6, which loses digits for
// pixel sizes like 3.3724 nm; a continued-fraction expansion gives the best
// approximation whose numerator and denominator both fit 32 bits (exact for
// decimal pixel sizes: 1 / 3.3724 = 2500 / 8431).

const MAX = 0xffffffff;

/** Best rational approximation [numerator, denominator] of a positive finite number. */
export function toRational(value: number): [number, number] {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`cannot store ${value} as a positive TIFF rational`);
  if (value >= MAX) return [MAX, 1];
  if (value <= 1 / MAX) return [1, MAX];
  // Convergents h/k of the continued fraction of value.
  let hPrev = 1, h = Math.floor(value);
  let kPrev = 0, k = 1;
  let x = value;
  let best: [number, number] = [h, k];
  for (let i = 0; i < 64; i++) {
    const frac = x - Math.floor(x);
    if (frac < 1e-12) break;
    x = 1 / frac;
    const a = Math.floor(x);
    const hNext = a * h + hPrev;
    const kNext = a * k + kPrev;
    if (hNext > MAX || kNext > MAX) break;
    hPrev = h; h = hNext;
    kPrev = k; k = kNext;
    const err = Math.abs(h / k - value);
    if (err < Math.abs(best[0] / best[1] - value)) best = [h, k];
    if (err <= Number.EPSILON * value) break;
  }
  return best;
}
