// Drift within one FIB-SEM stack ([Sardhara2024], multi-voltage stacks): the translation
// of every slice onto slice 0, estimated so that it does no harm.
//
// 1. Every slice is matched (cross-correlation, Hann window, sub-pixel) with the
//    slices 1, 2, 3, 5 and 8 before it, not only its predecessor
//    (phase-correlation-confidence.ts: shift, standard error, null peak). Measured
//    on drift-free noisy stacks, these distances found about half the spurious drift
//    that 1, 2, 4, 8 did, at 5 matches per slice instead of 4.
// 2. A match counts only when its peak stands out from the no-shared-structure
//    baseline of the run and its shift is plausible (register-acceptance.ts).
// 3. The drift path is the robust weighted least-squares solution of all accepted
//    matches (drift-path.ts): errors average over many routes instead of adding up
//    as a random walk, and a wrong match disagrees with its neighbours.
// 4. The same matches in each quarter of the frame give four more paths; how far
//    they disagree beyond their errors widens the errors (drift-rigidity.ts).
// 5. The path is applied only when it is significant against its standard errors
//    (drift-significance.ts); otherwise every shift is zero and the slices stay as
//    they are. `fitted` keeps the path as found either way.
//
// Memory: the spectra (frame and quarters, Float32) of the last 8 slices are kept;
// distances are dropped, largest first, while they would take more than
// spectrumBudgetBytes.
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import { fitDriftPath, type DriftPair, type DriftPath } from './drift-path';
import { quarterTiles, rigidityCheck, type RigidityCheck } from './drift-rigidity';
import { driftSignificance, sliceConfidence, type DriftSignificance, type SliceConfidence } from './drift-significance';
import {
  DEFAULT_UPSAMPLE, checkImageAndRegion, imageSpectrum,
  type ImageArray, type ImageSpectrum, type PhaseCorrelationOptions, type PixelRegion, type ShiftEstimate,
} from './phase-correlation';
import { SYSTEMATIC_PX, matchSpectra, type PairMatch } from './phase-correlation-confidence';
import { judgeMatch, nullBaseline, type MatchVerdict } from './register-acceptance';
import type { Translation } from './translate-slices';

export interface RegistrationOptions extends PhaseCorrelationOptions {
  /**
   * Largest plausible translation between neighbouring slices (or two channels of one
   * slice), px, per axis; a match of slices d apart may move d times as much. Larger
   * estimates are failures. Default: 10 % of the smaller side of the correlated area (at least 4 px).
   */
  maxShiftPx?: number;
  /** Peak height below which a match counts as failed; default 0 (the null baseline decides). */
  minPeak?: number;
  /** Slice distances matched; default 1, 2, 3, 5, 8. */
  distances?: readonly number[];
  /** Memory the kept spectra may take, bytes; default 1 GiB (3072 x 2048 frames: distances 1, 2, 3, 5). */
  spectrumBudgetBytes?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface StackMatch extends PairMatch {
  /** Reference slice i < moving slice j; dy, dx bring slice j onto slice i. */
  i: number;
  j: number;
  verdict: MatchVerdict;
  /** Accepted and kept by the outlier rejection of the path fit. */
  used: boolean;
}

export interface StackRegistration {
  /** Per slice: translation to apply to bring it onto slice 0 (shifts[0] = 0, 0); all zero when the drift is not significant. */
  shifts: Translation[];
  /** The least-squares drift path as found, significant or not. */
  fitted: Translation[];
  /** Standard error of fitted per slice relative to slice 0, px. */
  sigmaPx: Translation[];
  confidence: SliceConfidence[];
  significance: DriftSignificance;
  /** How well the quarters of the frame agree on the drift; sigmaPx already includes its factor. */
  rigidity: RigidityCheck;
  /** Per slice: the match against its predecessor as measured (pairs[0] = 0, 0, peak 1). */
  pairs: ShiftEstimate[];
  /** Every match made, with its verdict. */
  matches: StackMatch[];
  /** Slices that no accepted match links to slice 0: they take their neighbours' translation. */
  failedSlices: number[];
  /** Slices whose translation is known to worse than 0.5 px (failed ones included). */
  lowConfidenceSlices: number[];
  /** Slice distances matched. */
  distances: number[];
}

export const DEFAULT_DISTANCES: readonly number[] = [1, 2, 3, 5, 8];
const DEFAULT_BUDGET = 1024 * 1024 * 1024;

export function checkStack(name: string, slices: readonly ImageArray[], width: number, height: number, region?: PixelRegion): PixelRegion {
  if (slices.length === 0) throw new AppError('invalid_input', `the ${name} stack has no slices`);
  slices.forEach((s, i) => {
    if (s.length !== width * height) throw new AppError('size_mismatch', `slice ${i} of the ${name} stack has ${s.length} pixels but the stack is ${width} x ${height}`);
  });
  return checkImageAndRegion(slices[0].length, width, height, region);
}

export function maxShiftFor(r: PixelRegion, opts: RegistrationOptions): number {
  const m = opts.maxShiftPx ?? Math.max(4, 0.1 * Math.min(r.width, r.height));
  if (!(m > 0)) throw new AppError('invalid_input', `maxShiftPx must be a positive number of pixels, got ${m}`);
  return m;
}

function chooseDistances(opts: RegistrationOptions, slices: number, spectrumBytes: number): number[] {
  const asked = [...(opts.distances ?? DEFAULT_DISTANCES)];
  if (asked.length === 0 || !asked.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new AppError('invalid_input', `distances must be whole numbers of slices >= 1, e.g. 1, 2, 3, 5, 8; got ${asked.join(', ')}`);
  }
  let d = [...new Set(asked)].sort((a, b) => a - b).filter((v) => v < slices);
  if (d.length === 0) d = [1];
  const budget = opts.spectrumBudgetBytes ?? DEFAULT_BUDGET;
  while (d.length > 1 && (d[d.length - 1] + 1) * spectrumBytes > budget) d.pop();
  return d;
}

/**
 * The path from accepted matches: each match weighted by the part of its error that
 * is its own (total minus both images' own-noise parts), each slice's own-noise part
 * (the median over its matches) added to its error afterwards (drift-path.ts).
 */
export function pathFromMatches(n: number, matches: readonly (PairMatch & { i: number; j: number })[]): DriftPath {
  const own: { dy: number[]; dx: number[] }[] = Array.from({ length: n }, () => ({ dy: [], dx: [] }));
  const pairs = matches.map((m): DriftPair => {
    for (const s of [m.i, m.j]) { own[s].dy.push(m.ownSigmaDy ** 2); own[s].dx.push(m.ownSigmaDx ** 2); }
    const floor = SYSTEMATIC_PX * SYSTEMATIC_PX;
    return {
      i: m.i, j: m.j, dy: m.dy, dx: m.dx,
      sigmaDy: Math.sqrt(Math.max(floor, m.sigmaDy ** 2 - 2 * m.ownSigmaDy ** 2)),
      sigmaDx: Math.sqrt(Math.max(floor, m.sigmaDx ** 2 - 2 * m.ownSigmaDx ** 2)),
    };
  });
  const median = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length === 0 ? 0 : s[s.length >> 1];
  };
  return fitDriftPath(n, pairs, own.map((o) => ({ dy: median(o.dy), dx: median(o.dx) })));
}

interface SliceSpectra {
  frame: ImageSpectrum;
  tiles: ImageSpectrum[];
}

/** Upsampling of the quarter matches: they only measure how the quarters scatter (0.1 px steps). */
const TILE_UPSAMPLE = 10;

/** Within one stack: translation of every slice onto slice 0 from matches at several distances. */
export function registerWithinStack(slices: readonly ImageArray[], width: number, height: number, opts: RegistrationOptions = {}): StackRegistration {
  const region = checkStack('', slices, width, height, opts.region);
  const maxShiftPx = maxShiftFor(region, opts);
  const upsample = opts.upsample ?? DEFAULT_UPSAMPLE;
  const n = slices.length;
  const report = progressTracker(opts.onProgress);
  const tileRegions = quarterTiles(region);
  const spectra = (image: ImageArray): SliceSpectra => ({
    frame: imageSpectrum(image, width, height, { ...opts, region, compact: true }),
    tiles: tileRegions.map((t) => imageSpectrum(image, width, height, { ...opts, region: t, compact: true })),
  });
  const first = spectra(slices[0]);
  const bytes = [first.frame, ...first.tiles].reduce((a, s) => a + s.re.byteLength + s.im.byteLength, 0);
  const distances = chooseDistances(opts, n, bytes);
  const keep = distances[distances.length - 1] + 1;
  const ring: SliceSpectra[] = [first];
  const measured: (PairMatch & { i: number; j: number; tiles: PairMatch[] })[] = [];
  for (let j = 1; j < n; j++) {
    throwIfAborted(opts.signal);
    const current = spectra(slices[j]);
    for (const d of distances) {
      if (j - d < 0) continue;
      throwIfAborted(opts.signal);
      const earlier = ring[(j - d) % keep];
      measured.push({
        ...matchSpectra(earlier.frame, current.frame, upsample, d === 1),
        i: j - d,
        j,
        tiles: current.tiles.map((t, k) => matchSpectra(earlier.tiles[k], t, TILE_UPSAMPLE, false)),
      });
    }
    ring[j % keep] = current;
    report(j / (n - 1), `matched slice ${j + 1} of ${n} with ${distances.filter((d) => d <= j).length} earlier slices`);
  }
  const baseline = nullBaseline(measured);
  const rule = { maxShiftPx, minPeak: opts.minPeak ?? 0 };
  const verdicts = measured.map((m) => judgeMatch(m, m.j - m.i, baseline, rule));
  const acceptedIndex = measured.flatMap((_, k) => (verdicts[k] === 'accepted' ? [k] : []));
  const model = pathFromMatches(n, acceptedIndex.map((k) => measured[k]));
  // Quarter matches of the accepted pairs, where each is itself unambiguous and plausible.
  const tileMatches = tileRegions.map((_, t) => acceptedIndex.flatMap((k) => {
    const m = measured[k];
    const q = { ...m.tiles[t], i: m.i, j: m.j };
    return judgeMatch({ ...q, nullPeak: NaN }, m.j - m.i, -Infinity, rule) === 'accepted' ? [q] : [];
  }));
  const rigidity = rigidityCheck(tileMatches.map((q) => pathFromMatches(n, q)), model);
  const fit = { ...model, sigma: model.sigma.map((s) => ({ dy: s.dy * rigidity.factor, dx: s.dx * rigidity.factor })) };
  const used = new Set(acceptedIndex.filter((_, a) => fit.used[a]));
  const matches: StackMatch[] = measured.map(({ tiles: _tiles, ...m }, k) => ({ ...m, verdict: verdicts[k], used: used.has(k) }));
  const significance = driftSignificance(fit);
  const confidence = sliceConfidence(fit);
  const pairs: ShiftEstimate[] = slices.map((_, i) => ({ dy: 0, dx: 0, peak: i === 0 ? 1 : 0 }));
  for (const m of matches) if (m.j - m.i === 1) pairs[m.j] = { dy: m.dy, dx: m.dx, peak: m.peak };
  return {
    shifts: significance.significant ? fit.path.map((t) => ({ ...t })) : fit.path.map(() => ({ dy: 0, dx: 0 })),
    fitted: fit.path,
    sigmaPx: fit.sigma,
    confidence,
    significance,
    rigidity,
    pairs,
    matches,
    failedSlices: fit.connected.flatMap((c, i) => (c ? [] : [i])),
    lowConfidenceSlices: confidence.flatMap((c, i) => (c === 'low' ? [i] : [])),
    distances,
  };
}
