// Which correlation matches count. A match is a real one only when its peak stands
// out from what images with nothing in common give (phase-correlation-confidence.ts:
// the point-reflected "null" correlation of the same pair). The null peaks of all
// pairs of a run form the baseline: a match is accepted when its peak exceeds
// the median null peak by NULL_SIGMAS robust standard deviations (median absolute
// deviation x 1.4826; at least 10 % of the median), exceeds its own null peak by
// OWN_NULL_FACTOR where that was computed (neighbour pairs: the null depends on
// the two images' spectra, so the neighbours' nulls cover every slice), and is not ambiguous (primary-to-secondary peak ratio >=
// MIN_PEAK_RATIO). Null peaks are maxima of a random surface, Gumbel-like: 5
// standard deviations above the median are reached by chance about once in a
// thousand pairs. A match is also refused when its shift is implausible (beyond
// the largest shift per slice of distance) or its peak is below a floor the user set.
import type { PairMatch } from './phase-correlation-confidence';

export const NULL_SIGMAS = 5;
export const OWN_NULL_FACTOR = 1.2;
export const MIN_PEAK_RATIO = 1.2;

export type MatchVerdict = 'accepted' | 'no_match' | 'ambiguous' | 'too_far' | 'below_min_peak' | 'no_precision';

export interface AcceptanceRule {
  /** Largest plausible shift per slice of distance between the two images, px per axis. */
  maxShiftPx: number;
  minPeak: number;
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The peak height a match must exceed, from the null peaks of all matches of a run. */
export function nullBaseline(matches: readonly PairMatch[]): number {
  const nulls = matches.map((m) => m.nullPeak).filter(Number.isFinite);
  const mid = median(nulls);
  const sd = Math.max(1.4826 * median(nulls.map((v) => Math.abs(v - mid))), 0.1 * mid);
  return mid + NULL_SIGMAS * sd;
}

export function judgeMatch(m: PairMatch, distance: number, baseline: number, rule: AcceptanceRule): MatchVerdict {
  if (m.peak < rule.minPeak) return 'below_min_peak';
  if (!(m.peak > baseline) || (Number.isFinite(m.nullPeak) && !(m.peak > OWN_NULL_FACTOR * m.nullPeak))) return 'no_match';
  if (m.peakRatio < MIN_PEAK_RATIO) return 'ambiguous';
  const far = rule.maxShiftPx * distance;
  if (Math.abs(m.dy) > far || Math.abs(m.dx) > far) return 'too_far';
  if (!(Number.isFinite(m.sigmaDy) && Number.isFinite(m.sigmaDx))) return 'no_precision';
  return 'accepted';
}
