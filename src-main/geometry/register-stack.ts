// Registration of FIB-SEM stacks by translation (DOMAIN.md "Multi-voltage data";
// seed 003 Article III): within each stack every slice is matched to its predecessor
// and the pairwise translations are summed, so slice i gets the translation that
// brings it onto slice 0; then each other channel (1 kV, 4 kV, another detector) is
// matched slice by slice onto the reference channel (2 kV), best on a fiducial region
// free of shine-through.
//
// Failures: consecutive slices of a run move by a few px at most. A pairwise estimate
// larger than maxShiftPx on either axis (or with a peak below minPeak) is taken as a
// failed match, not a real jump: that slice keeps its predecessor's total translation
// (pairwise translation 0) and its index is listed in failedSlices for the user to check.
import { throwIfAborted } from '../../src-shared/errors';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import {
  DEFAULT_UPSAMPLE, checkImageAndRegion, imageSpectrum, shiftBetweenSpectra,
  type ImageArray, type PhaseCorrelationOptions, type PixelRegion, type ShiftEstimate,
} from './phase-correlation';
import type { Translation } from './translate-slices';
import { AppError } from '../../src-shared/errors';

export interface RegistrationOptions extends PhaseCorrelationOptions {
  /**
   * Largest plausible translation between two matched images, px, per axis; larger
   * estimates are failures. Default: 10 % of the smaller side of the correlated area (at least 4 px).
   */
  maxShiftPx?: number;
  /** Peak height below which a match counts as failed; default 0 (only maxShiftPx decides). */
  minPeak?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface StackRegistration {
  /** Per slice: translation to apply to bring it onto slice 0; shifts[0] = (0, 0). */
  shifts: Translation[];
  /** Per slice: the estimate against its predecessor as measured (pairs[0] = 0, 0, peak 1), failures included. */
  pairs: ShiftEstimate[];
  /** Slices whose match failed: they keep the previous slice's translation. */
  failedSlices: number[];
}

export interface ChannelRegistration {
  /** Per slice: translation to apply to the other channel's slice to bring it onto the reference's; failed slices get perStack. */
  perSlice: Translation[];
  /** Estimates as measured, failures included. */
  estimates: ShiftEstimate[];
  /** One translation for the whole channel: the median of the successful per-slice estimates. */
  perStack: Translation;
  /** Median absolute deviation of the successful per-slice estimates from perStack, px. */
  spreadPx: Translation;
  failedSlices: number[];
}

function checkStack(name: string, slices: readonly ImageArray[], width: number, height: number, region?: PixelRegion): PixelRegion {
  if (slices.length === 0) throw new AppError('invalid_input', `the ${name} stack has no slices`);
  slices.forEach((s, i) => {
    if (s.length !== width * height) throw new AppError('size_mismatch', `slice ${i} of the ${name} stack has ${s.length} pixels but the stack is ${width} x ${height}`);
  });
  return checkImageAndRegion(slices[0].length, width, height, region);
}

function maxShiftFor(r: PixelRegion, opts: RegistrationOptions): number {
  const m = opts.maxShiftPx ?? Math.max(4, 0.1 * Math.min(r.width, r.height));
  if (!(m > 0)) throw new AppError('invalid_input', `maxShiftPx must be a positive number of pixels, got ${m}`);
  return m;
}

function failed(e: ShiftEstimate, maxShiftPx: number, minPeak: number): boolean {
  return Math.abs(e.dy) > maxShiftPx || Math.abs(e.dx) > maxShiftPx || e.peak < minPeak;
}

/** Within one stack: translation of every slice onto slice 0, by chaining neighbour matches. */
export function registerWithinStack(slices: readonly ImageArray[], width: number, height: number, opts: RegistrationOptions = {}): StackRegistration {
  const region = checkStack('', slices, width, height, opts.region);
  const maxShift = maxShiftFor(region, opts);
  const minPeak = opts.minPeak ?? 0;
  const upsample = opts.upsample ?? DEFAULT_UPSAMPLE;
  const report = progressTracker(opts.onProgress);
  const shifts: Translation[] = [{ dy: 0, dx: 0 }];
  const pairs: ShiftEstimate[] = [{ dy: 0, dx: 0, peak: 1 }];
  const failedSlices: number[] = [];
  let previous = imageSpectrum(slices[0], width, height, opts);
  for (let i = 1; i < slices.length; i++) {
    throwIfAborted(opts.signal);
    const current = imageSpectrum(slices[i], width, height, opts);
    const e = shiftBetweenSpectra(previous, current, upsample);
    pairs.push(e);
    const last = shifts[i - 1];
    if (failed(e, maxShift, minPeak)) {
      failedSlices.push(i);
      shifts.push({ ...last });
    } else {
      shifts.push({ dy: last.dy + e.dy, dx: last.dx + e.dx });
    }
    previous = current;
    report(i / (slices.length - 1), `registered slice ${i + 1} of ${slices.length}`);
  }
  return { shifts, pairs, failedSlices };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Across channels: slice i of `other` matched onto slice i of `reference` (same
 * slice count and size). Which to use: perStack, on stacks already registered
 * within themselves. All channels image the same surface before each cut, so their
 * offset is one beam-shift per channel; a per-slice estimate adds its own noise and
 * kV-dependent shine-through to every slice. Use perSlice only when spreadPx is
 * large (above ~0.5 px), which means the within-stack registrations drifted apart.
 */
export function registerAcrossChannels(reference: readonly ImageArray[], other: readonly ImageArray[], width: number, height: number, opts: RegistrationOptions = {}): ChannelRegistration {
  const region = checkStack('reference', reference, width, height, opts.region);
  checkStack('other', other, width, height, opts.region);
  if (reference.length !== other.length) {
    throw new AppError('size_mismatch', `the reference channel has ${reference.length} slices and the other ${other.length}: channels must image the same slices`);
  }
  const maxShift = maxShiftFor(region, opts);
  const minPeak = opts.minPeak ?? 0;
  const upsample = opts.upsample ?? DEFAULT_UPSAMPLE;
  const report = progressTracker(opts.onProgress);
  const estimates: ShiftEstimate[] = [];
  for (let i = 0; i < reference.length; i++) {
    throwIfAborted(opts.signal);
    estimates.push(shiftBetweenSpectra(imageSpectrum(reference[i], width, height, opts), imageSpectrum(other[i], width, height, opts), upsample));
    report((i + 1) / reference.length, `matched slice ${i + 1} of ${reference.length} across channels`);
  }
  const failedSlices = estimates.flatMap((e, i) => (failed(e, maxShift, minPeak) ? [i] : []));
  const good = estimates.filter((e) => !failed(e, maxShift, minPeak));
  if (good.length === 0) {
    throw new AppError('invalid_input', `no slice of the two channels could be matched within ${maxShift} px: draw a region around a fiducial visible in both channels, or raise maxShiftPx`);
  }
  const perStack = { dy: median(good.map((e) => e.dy)), dx: median(good.map((e) => e.dx)) };
  const spreadPx = { dy: median(good.map((e) => Math.abs(e.dy - perStack.dy))), dx: median(good.map((e) => Math.abs(e.dx - perStack.dx))) };
  const perSlice = estimates.map((e) => (failed(e, maxShift, minPeak) ? { ...perStack } : { dy: e.dy, dx: e.dx }));
  return { perSlice, estimates, perStack, spreadPx, failedSlices };
}

/** Sums translations slice by slice (within-stack then across-channel, both in the output-onto-reference convention). */
export function composeTranslations(first: readonly Translation[], then: readonly Translation[] | Translation): Translation[] {
  return first.map((s, i) => {
    const t = Array.isArray(then) ? (then as Translation[])[i] : (then as Translation);
    return { dy: s.dy + t.dy, dx: s.dx + t.dx };
  });
}
