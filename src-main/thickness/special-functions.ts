// Digamma and trigamma for the gamma maximum-likelihood fit: the recurrence
// psi(x) = psi(x + 1) - 1/x lifts x to >= 10, then the asymptotic series
// (Abramowitz & Stegun 6.3.18, 6.4.12) is accurate to ~1e-15 relative.

export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN; // only positive shapes are needed here
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const series = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760 - f / 12))))));
  return acc + Math.log(x) - 0.5 / x - series;
}

export function trigamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let acc = 0;
  while (x < 10) {
    acc += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  // 1/x + 1/(2x^2) + sum B_2k / x^(2k+1)
  const series = (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f * (1 / 30 - f * (5 / 66 - f * (691 / 2730 - f * (7 / 6)))))));
  return acc + 1 / x + f / 2 + series;
}
