// Offset of another channel (1 kV, 4 kV, another detector) onto the reference
// channel: slice i of `other` matched onto slice i of `reference`. All channels
// image the same surface before each cut, so the offset is one beam shift per
// channel; a per-slice estimate adds its own noise and kV-dependent shine-through
// to every slice. So, as for the drift within a stack, no harm first:
//   - matches are accepted against the no-shared-structure baseline (register-acceptance.ts);
//   - the offset is their robust weighted mean (drift-path.ts on two "slices",
//     reference and other, with one pair per slice), with its standard error;
//   - it is applied only when significant (drift-significance.ts), else zero;
//   - per-slice estimates replace it only when they differ from it more than their
//     errors allow (chi-square of the deviations beyond its 0.999 quantile): then
//     the channels moved apart during the run, e.g. a within-stack registration
//     that drifted, and each slice needs its own offset.
import { throwIfAborted } from '../../src-shared/errors';
import { progressTracker } from '../../src-shared/progress';
import { fitDriftPath } from './drift-path';
import { FALSE_ALARM, driftSignificance } from './drift-significance';
import { DEFAULT_UPSAMPLE, imageSpectrum, type ImageArray } from './phase-correlation';
import { matchSpectra, type PairMatch } from './phase-correlation-confidence';
import { judgeMatch, nullBaseline, type MatchVerdict } from './register-acceptance';
import { checkStack, maxShiftFor, type RegistrationOptions } from './register-stack';
import type { Translation } from './translate-slices';
import { AppError } from '../../src-shared/errors';

export interface ChannelMatch extends PairMatch {
  verdict: MatchVerdict;
  /** Accepted and kept by the outlier rejection. */
  used: boolean;
}

export interface ChannelRegistration {
  /** Per slice: translation to apply to the other channel's slice to bring it onto the reference's. */
  perSlice: Translation[];
  /** Estimates as measured, with their verdicts. */
  estimates: ChannelMatch[];
  /** The one offset applied to every slice (zero when not significant); per-slice estimates replace it where perSliceUsed. */
  perStack: Translation;
  /** The robust weighted mean of the accepted estimates and its standard error, px. */
  measuredOffset: Translation;
  offsetSigmaPx: Translation;
  offsetSignificant: boolean;
  /** True when the per-slice estimates differ significantly from one offset and are applied instead. */
  perSliceUsed: boolean;
  /** Median absolute deviation of the accepted per-slice estimates from the offset, px. */
  spreadPx: Translation;
  failedSlices: number[];
  /** For the user: what was found and applied. */
  message: string;
}

/**
 * Upper 1 - alpha quantile of chi-square with k degrees of freedom: exact for even k
 * (the survival function is e^{-x/2} sum_{i < k/2} (x/2)^i / i!, solved by
 * bisection), Wilson-Hilferty for odd k.
 */
export function chiSquareQuantile(k: number, alpha = FALSE_ALARM): number {
  if (k % 2 === 0) {
    const survival = (x: number) => {
      let term = 1, sum = 1;
      for (let i = 1; i < k / 2; i++) { term *= x / 2 / i; sum += term; }
      return Math.exp(-x / 2) * sum;
    };
    let lo = 0, hi = 10 * k + 100;
    for (let it = 0; it < 200; it++) {
      const x = (lo + hi) / 2;
      if (survival(x) > alpha) lo = x; else hi = x;
    }
    return (lo + hi) / 2;
  }
  // The normal quantile z of 1 - alpha by bisection on erfc.
  let lo = 0, hi = 10;
  for (let it = 0; it < 60; it++) {
    const z = (lo + hi) / 2;
    if (0.5 * erfc(z / Math.SQRT2) > alpha) lo = z; else hi = z;
  }
  const z = (lo + hi) / 2;
  const a = 2 / (9 * k);
  return k * (1 - a + z * Math.sqrt(a)) ** 3;
}

function erfc(x: number): number {
  // Numerical Recipes erfcc, fractional error < 1.2e-7.
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : 2 - y;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function registerAcrossChannels(reference: readonly ImageArray[], other: readonly ImageArray[], width: number, height: number, opts: RegistrationOptions = {}): ChannelRegistration {
  const region = checkStack('reference', reference, width, height, opts.region);
  checkStack('other', other, width, height, opts.region);
  if (reference.length !== other.length) {
    throw new AppError('size_mismatch', `the reference channel has ${reference.length} slices and the other ${other.length}: channels must image the same slices`);
  }
  const maxShiftPx = maxShiftFor(region, opts);
  const upsample = opts.upsample ?? DEFAULT_UPSAMPLE;
  const report = progressTracker(opts.onProgress);
  const measured: PairMatch[] = [];
  for (let i = 0; i < reference.length; i++) {
    throwIfAborted(opts.signal);
    measured.push(matchSpectra(imageSpectrum(reference[i], width, height, opts), imageSpectrum(other[i], width, height, opts), upsample));
    report((i + 1) / reference.length, `matched slice ${i + 1} of ${reference.length} across channels`);
  }
  const baseline = nullBaseline(measured);
  const verdicts = measured.map((m) => judgeMatch(m, 1, baseline, { maxShiftPx, minPeak: opts.minPeak ?? 0 }));
  const accepted = measured.flatMap((m, i) => (verdicts[i] === 'accepted' ? [{ ...m, i: 0, j: 1, slice: i }] : []));
  const zero = { dy: 0, dx: 0 };
  if (accepted.length === 0) {
    return {
      perSlice: measured.map(() => ({ ...zero })), estimates: measured.map((m, i) => ({ ...m, verdict: verdicts[i], used: false })),
      perStack: { ...zero }, measuredOffset: { ...zero }, offsetSigmaPx: { dy: Infinity, dx: Infinity }, offsetSignificant: false, perSliceUsed: false,
      spreadPx: { ...zero }, failedSlices: measured.map((_, i) => i),
      message: `no slice of the two channels could be matched (no correlation peak above what unrelated images give): the channel is left where it is; draw a region around a fiducial visible in both channels`,
    };
  }
  const fit = fitDriftPath(2, accepted);
  const offset = fit.path[1];
  const significance = driftSignificance(fit);
  const used = new Set(accepted.filter((_, a) => fit.used[a]).map((a) => a.slice));
  const kept = accepted.filter((a) => used.has(a.slice));
  const dof = 2 * (kept.length - 1);
  const chi2 = kept.reduce((s, a) => s + ((a.dy - offset.dy) / a.sigmaDy) ** 2 + ((a.dx - offset.dx) / a.sigmaDx) ** 2, 0);
  const perSliceUsed = dof > 0 && chi2 > chiSquareQuantile(dof);
  const perStack = significance.significant ? { ...offset } : { ...zero };
  const perSlice = measured.map((m, i) => (perSliceUsed && used.has(i) ? { dy: m.dy, dx: m.dx } : { ...perStack }));
  const spreadPx = { dy: median(kept.map((a) => Math.abs(a.dy - offset.dy))), dx: median(kept.map((a) => Math.abs(a.dx - offset.dx))) };
  const what = `offset dy ${offset.dy.toFixed(2)} +- ${fit.sigma[1].dy.toFixed(2)} px, dx ${offset.dx.toFixed(2)} +- ${fit.sigma[1].dx.toFixed(2)} px from ${kept.length} of ${measured.length} slices`;
  const message = !significance.significant
    ? `no significant offset between the channels: ${what} (${significance.maxSigmas.toFixed(1)} sigma < ${significance.thresholdSigmas.toFixed(1)}); the channel is left where it is`
    : perSliceUsed
      ? `${what}; the slices differ from one offset more than their errors allow (chi-square ${chi2.toFixed(0)} for ${dof} degrees of freedom): each slice gets its own offset`
      : `${what}; one offset for all slices`;
  return {
    perSlice,
    estimates: measured.map((m, i) => ({ ...m, verdict: verdicts[i], used: used.has(i) })),
    perStack,
    measuredOffset: { ...offset },
    offsetSigmaPx: { ...fit.sigma[1] },
    offsetSignificant: significance.significant,
    perSliceUsed,
    spreadPx,
    failedSlices: measured.flatMap((_, i) => (used.has(i) ? [] : [i])),
    message,
  };
}

/** Sums translations slice by slice (within-stack then across-channel, both in the output-onto-reference convention). */
export function composeTranslations(first: readonly Translation[], then: readonly Translation[] | Translation): Translation[] {
  return first.map((s, i) => {
    const t = Array.isArray(then) ? (then as Translation[])[i] : (then as Translation);
    return { dy: s.dy + t.dy, dx: s.dx + t.dx };
  });
}
