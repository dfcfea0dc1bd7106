// Is a fitted drift real, or what noise alone would give? Each slice's translation
// T(i) relative to slice 0 is compared with its standard error: z(i)^2 =
// (dy / sigma_y)^2 + (dx / sigma_x)^2 follows a chi-square law with 2 degrees of
// freedom when the slice did not move, P(z^2 > t) = exp(-t / 2). Over m slices the
// largest z reaches sqrt(2 ln(m / alpha)) by chance with probability at most alpha
// (Bonferroni), alpha = 0.001: only a drift beyond that, somewhere, is taken as real.
// Otherwise the registration applies no shift at all: resampling a stack to undo a
// drift that is not there only blurs it and crops it.
//
// Confidence of one slice: its combined standard error hypot(sigma_y, sigma_x):
// high below 0.25 px, medium below 0.5 px, low above, or when no accepted match
// links the slice to slice 0.
import type { DriftPath } from './drift-path';

export type SliceConfidence = 'high' | 'medium' | 'low';

export interface DriftSignificance {
  significant: boolean;
  /** Largest z over the slices linked to slice 0, and where. */
  maxSigmas: number;
  slice: number;
  /** |T| at that slice, px, and the largest |T| anywhere, px. */
  driftAtMaxPx: number;
  largestDriftPx: number;
  /** The z a slice must exceed. */
  thresholdSigmas: number;
  /** For the user, e.g. "no significant drift found: ...; slices kept as they are". */
  message: string;
}

export const FALSE_ALARM = 1e-3;
export const HIGH_CONFIDENCE_PX = 0.25;
export const MEDIUM_CONFIDENCE_PX = 0.5;

/** sqrt(2 ln(m / alpha)): the z that m slices without drift exceed with probability alpha. */
export function significanceThreshold(slices: number, alpha = FALSE_ALARM): number {
  return Math.sqrt(2 * Math.log(Math.max(1, slices) / alpha));
}

export function driftSignificance(fit: DriftPath, alpha = FALSE_ALARM): DriftSignificance {
  const linked = fit.connected.flatMap((c, i) => (c && i > 0 ? [i] : []));
  const threshold = significanceThreshold(linked.length, alpha);
  let maxSigmas = 0;
  let slice = 0;
  for (const i of linked) {
    const { dy, dx } = fit.path[i];
    const s = fit.sigma[i];
    const z = Math.sqrt((dy / s.dy) ** 2 + (dx / s.dx) ** 2);
    if (z > maxSigmas) { maxSigmas = z; slice = i; }
  }
  const size = (t: { dy: number; dx: number }) => Math.hypot(t.dy, t.dx);
  let largest = 0;
  for (const t of fit.path) largest = Math.max(largest, size(t));
  const driftAtMaxPx = size(fit.path[slice]);
  const significant = maxSigmas > threshold;
  const where = linked.length === 0 ? 'no slice could be matched to slice 0' : `${linked.length} slice${linked.length === 1 ? '' : 's'} matched`;
  const message = significant
    ? `significant drift: up to ${largest.toFixed(2)} px; slice ${slice} moved ${driftAtMaxPx.toFixed(2)} px = ${maxSigmas.toFixed(1)} sigma (a drift must exceed ${threshold.toFixed(1)} sigma; ${where})`
    : `no significant drift found: max |d| ${driftAtMaxPx.toFixed(2)} px (slice ${slice}) = ${maxSigmas.toFixed(1)} sigma < ${threshold.toFixed(1)} sigma (${where}); slices kept as they are`;
  return { significant, maxSigmas, slice, driftAtMaxPx, largestDriftPx: largest, thresholdSigmas: threshold, message };
}

export function sliceConfidence(fit: DriftPath): SliceConfidence[] {
  return fit.sigma.map((s, i) => {
    if (!fit.connected[i]) return 'low';
    const e = Math.hypot(s.dy, s.dx);
    return e < HIGH_CONFIDENCE_PX ? 'high' : e < MEDIUM_CONFIDENCE_PX ? 'medium' : 'low';
  });
}
