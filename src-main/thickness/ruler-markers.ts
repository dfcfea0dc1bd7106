// Marker centres in a background-free ruler profile, sub-pixel: each marker is a
// bar (a blurred top-hat), so a Gaussian or parabola fitted to its peak would
// follow the noise on its flat top. We take the centroid of the profile over a
// window centred on the marker, iterated until the window is centred on the
// centroid: with the window symmetric about the true centre, a constant residual
// background and the symmetric blur add no bias, and the window's fractional end
// pixels make the estimate move continuously with the marker.

export interface MarkerRun {
  /** First column above the detection threshold, and one past the last. */
  start: number;
  end: number;
  /** Sum of the profile over the run (its strength). */
  area: number;
}

export interface MarkerCentre {
  /** Centre, px from the left edge of the profile (column i spans [i, i + 1]). */
  centrePx: number;
  /** Standard deviation of the centre from the profile noise, px. */
  sdPx: number;
  run: MarkerRun;
}

/** Runs of columns at or above `threshold`; runs separated by a single column below it are one run. */
export function markerRuns(values: Float64Array, threshold: number): MarkerRun[] {
  const runs: MarkerRun[] = [];
  for (let x = 0; x < values.length; ) {
    if (values[x] < threshold) {
      x++;
      continue;
    }
    const start = x;
    while (x < values.length && values[x] >= threshold) x++;
    const last = runs[runs.length - 1];
    if (last && start - last.end <= 1) last.end = x;
    else runs.push({ start, end: x, area: 0 });
  }
  for (const r of runs) for (let x = r.start; x < r.end; x++) r.area += values[x];
  return runs;
}

/** The `count` strongest runs (largest area), in order of position. */
export function strongestRuns(runs: readonly MarkerRun[], count: number): MarkerRun[] {
  return [...runs]
    .sort((a, b) => b.area - a.area)
    .slice(0, count)
    .sort((a, b) => a.start - b.start);
}

/**
 * Centroid of `values` over [c - h, c + h] (continuous coordinates), iterated from the
 * run's centre. h = half the run plus `marginPx` (the blurred edges), kept clear of the
 * neighbouring runs and inside the profile.
 */
export function markerCentroid(values: Float64Array, run: MarkerRun, neighbours: { leftEnd: number; rightStart: number }, marginPx: number, noiseSd: number): MarkerCentre {
  const n = values.length;
  let c = (run.start + run.end) / 2;
  const wanted = (run.end - run.start) / 2 + marginPx;
  let h = wanted;
  let variance = 0;
  for (let iter = 0; iter < 50; iter++) {
    h = Math.min(wanted, c - neighbours.leftEnd, neighbours.rightStart - c, c, n - c);
    if (!(h > 0)) break;
    const lo = c - h;
    const hi = c + h;
    let m = 0;
    let mx = 0;
    for (let i = Math.max(0, Math.floor(lo)); i < Math.min(n, Math.ceil(hi)); i++) {
      const f = Math.min(hi, i + 1) - Math.max(lo, i);
      m += f * values[i];
      mx += f * values[i] * (i + 0.5);
    }
    if (!(m > 0)) break;
    const next = mx / m;
    // Propagated noise: d c / d v_i = f_i (x_i - c) / M, independent columns.
    variance = 0;
    for (let i = Math.max(0, Math.floor(lo)); i < Math.min(n, Math.ceil(hi)); i++) {
      const f = Math.min(hi, i + 1) - Math.max(lo, i);
      variance += (f * (i + 0.5 - next)) ** 2;
    }
    variance *= (noiseSd / m) ** 2;
    const moved = Math.abs(next - c);
    c = next;
    if (moved < 1e-7) break;
  }
  return { centrePx: c, sdPx: Math.sqrt(variance), run };
}
