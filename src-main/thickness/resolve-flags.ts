// What to do with each flagged slice is the user's choice ([Sardhara2024] excluded
// outliers; others trust the target or their neighbours): keep the value, use
// the target thickness, the median of the unflagged values, or interpolate
// linearly between the nearest unflagged neighbours (the nearest one at the
// ends). Every decision is recorded so that the project can show it.
import { AppError } from '../../src-shared/errors';
import type { ThicknessFlag, ThicknessResolution } from './thickness-types';

/** One choice for all, one per flag kind (missing kinds: 'keep'), or one per slice. */
export type ResolutionChoice =
  | ThicknessResolution
  | Partial<Record<ThicknessFlag, ThicknessResolution>>
  | ((slice: number, flag: ThicknessFlag) => ThicknessResolution);

export interface ResolutionAction {
  /** Index into the thickness array (thickness after slice `slice`). */
  slice: number;
  flag: ThicknessFlag;
  resolution: ThicknessResolution;
  beforeNm: number | null;
  afterNm: number;
}

export interface ResolvedThickness {
  thicknessNm: number[];
  actions: ResolutionAction[];
}

export function resolveFlaggedThickness(
  thicknessNm: readonly (number | null)[],
  flags: readonly (ThicknessFlag | null)[],
  choice: ResolutionChoice,
  opts: { targetNm?: number | readonly (number | null)[] } = {},
): ResolvedThickness {
  if (flags.length !== thicknessNm.length) throw new AppError('invalid_input', `${thicknessNm.length} thicknesses but ${flags.length} flags: flag the same series you resolve.`);
  const choose = (i: number, f: ThicknessFlag): ThicknessResolution =>
    typeof choice === 'function' ? choice(i, f) : typeof choice === 'string' ? choice : (choice[f] ?? 'keep');
  const validIdx = flags.flatMap((f, i) => (f === null && thicknessNm[i] !== null ? [i] : []));
  const median = medianOf(validIdx.map((i) => thicknessNm[i]!));
  const out: number[] = [];
  const actions: ResolutionAction[] = [];
  thicknessNm.forEach((t, i) => {
    const flag = flags[i];
    if (flag === null) {
      if (t === null) throw new AppError('invalid_input', `thickness ${i} is not measured but not flagged: flag the series first (flagThickness).`);
      out.push(t);
      return;
    }
    const resolution = choose(i, flag);
    let after: number;
    switch (resolution) {
      case 'keep':
        if (t === null || !Number.isFinite(t)) throw new AppError('invalid_input', `the thickness after slice ${i} was not measured, so it cannot be kept: choose target, median or interpolate for it.`);
        after = t;
        break;
      case 'target': {
        const target = typeof opts.targetNm === 'number' ? opts.targetNm : opts.targetNm?.[i];
        if (target === undefined || target === null || !Number.isFinite(target)) {
          throw new AppError('invalid_input', `no target thickness is known for the slice after ${i}: give the target (nm), or choose median or interpolate.`);
        }
        after = target;
        break;
      }
      case 'median':
        if (Number.isNaN(median)) throw new AppError('invalid_input', 'no slice is left unflagged, so there is no median: choose target, or relax the flag limits.');
        after = median;
        break;
      case 'interpolate':
        after = interpolateAt(i, validIdx, thicknessNm);
        break;
      default:
        throw new AppError('invalid_input', `"${String(resolution)}" is not a resolution: choose keep, target, median or interpolate.`);
    }
    out.push(after);
    actions.push({ slice: i, flag, resolution, beforeNm: t, afterNm: after });
  });
  return { thicknessNm: out, actions };
}

/** Linear between the nearest valid indices around i; the nearest valid one at the ends. */
function interpolateAt(i: number, validIdx: readonly number[], values: readonly (number | null)[]): number {
  if (validIdx.length === 0) throw new AppError('invalid_input', 'no slice is left unflagged, so there is nothing to interpolate from: choose target, or relax the flag limits.');
  let hi = validIdx.findIndex((v) => v > i);
  if (hi < 0) return values[validIdx[validIdx.length - 1]]!;
  if (hi === 0) return values[validIdx[0]]!;
  const a = validIdx[hi - 1];
  const b = validIdx[hi];
  const w = (i - a) / (b - a);
  return values[a]! * (1 - w) + values[b]! * w;
}

export function medianOf(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
