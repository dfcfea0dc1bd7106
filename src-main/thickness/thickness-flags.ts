// Flags on a thickness series ([Sardhara2023] / [Sardhara2024]): 'nan' where nothing was
// measured, 'tiny' at <= 1 nm (Auto Slice & View reports many such slices when
// it loses its fiducial), 'outlier' beyond |z-score| 1.5, the limit [Sardhara2024]
// used to exclude 9 % of the ruler slices. The z-scores use the measured values
// that are not tiny (tiny ones are already known to be wrong and would drag the
// mean) and the population sd (ddof = 0, as scipy.stats.zscore).
import { AppError } from '../../src-shared/errors';
import type { ThicknessFlag } from './thickness-types';

export interface FlagOptions {
  /** |z-score| above which a value is an outlier; default 1.5. */
  outlierZ?: number;
  /** Values at or below this are 'tiny', nm; default 1. */
  tinyNm?: number;
}

export interface ThicknessFlags {
  flags: (ThicknessFlag | null)[];
  /** z-score of each value that entered the statistics, null for nan and tiny. */
  zScores: (number | null)[];
  /** Mean and population sd of the values the z-scores use, nm (NaN when there are none). */
  meanNm: number;
  sdNm: number;
  counts: Record<ThicknessFlag, number>;
}

export const DEFAULT_OUTLIER_Z = 1.5;
export const DEFAULT_TINY_NM = 1;

export function flagThickness(thicknessNm: readonly (number | null)[], opts: FlagOptions = {}): ThicknessFlags {
  const limit = opts.outlierZ ?? DEFAULT_OUTLIER_Z;
  const tiny = opts.tinyNm ?? DEFAULT_TINY_NM;
  if (!(limit > 0)) throw new AppError('invalid_input', `the outlier limit must be a positive z-score, got ${limit}.`);
  if (!Number.isFinite(tiny)) throw new AppError('invalid_input', `the tiny-slice limit must be a number of nm, got ${tiny}.`);
  const measured = (t: number | null): t is number => t !== null && Number.isFinite(t);
  const used = thicknessNm.filter((t): t is number => measured(t) && t > tiny);
  const meanNm = used.length ? used.reduce((s, t) => s + t, 0) / used.length : Number.NaN;
  const sdNm = used.length ? Math.sqrt(used.reduce((s, t) => s + (t - meanNm) ** 2, 0) / used.length) : Number.NaN;
  const counts = { nan: 0, tiny: 0, outlier: 0 };
  const zScores: (number | null)[] = [];
  const flags = thicknessNm.map((t): ThicknessFlag | null => {
    if (!measured(t)) return zScores.push(null), counts.nan++, 'nan';
    if (t <= tiny) return zScores.push(null), counts.tiny++, 'tiny';
    const z = sdNm > 0 ? (t - meanNm) / sdNm : 0;
    zScores.push(z);
    if (Math.abs(z) > limit) return counts.outlier++, 'outlier';
    return null;
  });
  return { flags, zScores, meanNm, sdNm, counts };
}
