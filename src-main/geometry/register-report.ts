// What a registration found, per channel, in the form the project keeps with the
// registered volume and shows to the user: the translations applied, the drift
// path as fitted with its standard error and confidence per slice, the verdict of
// the significance test, and warnings (drift not significant, slices known poorly,
// slices no match reached, quarters of the frame disagreeing, channel offset not found).
import type { SliceConfidence } from './drift-significance';
import type { ChannelRegistration } from './register-channels';
import type { StackRegistration } from './register-stack';
import { wholePixelShifts, type Translation } from './translate-slices';

export interface ChannelDrift {
  /** Per slice: the translation applied (whole pixels when asked for). */
  translationsPx: Translation[];
  /** Per slice: the translation as estimated, applied or not. */
  fittedPx: Translation[];
  /** Per slice: standard error of fittedPx, px. */
  sigmaPx: Translation[];
  confidence: SliceConfidence[];
  /** Whether any shift was applied because it was significant. */
  significant: boolean;
  /** The verdict, e.g. "no significant drift found: ...; slices kept as they are". */
  message: string;
  failedSlices: number[];
  lowConfidenceSlices: number[];
  warnings: string[];
}

/** Lists at most `max` slice numbers. */
export function sliceList(slices: readonly number[], max = 12): string {
  const shown = slices.slice(0, max).join(', ');
  return slices.length > max ? `${shown} and ${slices.length - max} more` : shown;
}

/** Widening of the errors by the quarter check above which the user is told. */
const RIGIDITY_WARNING = 1.5;

function stackWarnings(w: StackRegistration): string[] {
  const out: string[] = [];
  if (!w.significance.significant) out.push(w.significance.message);
  if (w.failedSlices.length > 0) out.push(`no accepted match links slice${w.failedSlices.length === 1 ? '' : 's'} ${sliceList(w.failedSlices)} to slice 0: they take their neighbours' translation; check them in the flicker view`);
  const poor = w.lowConfidenceSlices.filter((i) => !w.failedSlices.includes(i));
  if (poor.length > 0) out.push(`low confidence: the drift of ${poor.length} slice${poor.length === 1 ? ' is' : 's is'} known to worse than 0.5 px (${sliceList(poor)}); a region around a sharp fiducial may help`);
  if (w.rigidity.factor > RIGIDITY_WARNING) {
    out.push(`the quarters of the frame disagree on the drift by ${w.rigidity.factor.toFixed(1)} times their errors (structures inclined to the milling direction, or motion that is not a translation); the errors were widened by that factor`);
  }
  return out;
}

/** The reference channel: its own drift. */
export function referenceDrift(w: StackRegistration, wholePixels: boolean): ChannelDrift {
  return {
    translationsPx: wholePixels ? wholePixelShifts(w.shifts) : w.shifts,
    fittedPx: w.fitted,
    sigmaPx: w.sigmaPx,
    confidence: w.confidence,
    significant: w.significance.significant,
    message: w.significance.message,
    failedSlices: w.failedSlices,
    lowConfidenceSlices: w.lowConfidenceSlices,
    warnings: stackWarnings(w),
  };
}

/** Another channel: the reference's drift plus the offset onto the reference (per slice where it differs significantly). */
export function otherChannelDrift(ref: StackRegistration, across: ChannelRegistration, wholePixels: boolean): ChannelDrift {
  const n = ref.shifts.length;
  const ownEstimate = (i: number) => across.perSliceUsed && !across.failedSlices.includes(i);
  const offsetAt = (i: number): Translation => (ownEstimate(i) ? { dy: across.estimates[i].dy, dx: across.estimates[i].dx } : across.measuredOffset);
  const offsetSigma = (i: number): Translation => (ownEstimate(i) ? { dy: across.estimates[i].sigmaDy, dx: across.estimates[i].sigmaDx } : across.offsetSigmaPx);
  const applied = ref.shifts.map((s, i) => ({ dy: s.dy + across.perSlice[i].dy, dx: s.dx + across.perSlice[i].dx }));
  const sigmaPx = ref.sigmaPx.map((s, i) => ({ dy: Math.hypot(s.dy, offsetSigma(i).dy), dx: Math.hypot(s.dx, offsetSigma(i).dx) }));
  const confidence = sigmaPx.map((s, i): SliceConfidence => {
    if (ref.confidence[i] === 'low') return 'low';
    const e = Math.hypot(s.dy, s.dx);
    return e < 0.25 ? 'high' : e < 0.5 ? 'medium' : 'low';
  });
  const lowConfidenceSlices = confidence.flatMap((c, i) => (c === 'low' ? [i] : []));
  // The reference's own warnings are reported with the reference.
  const warnings: string[] = [];
  if (!across.offsetSignificant) warnings.push(across.message);
  const badAcross = across.failedSlices.filter((i) => i < n);
  if (across.offsetSignificant && across.perSliceUsed && badAcross.length > 0) warnings.push(`slice${badAcross.length === 1 ? '' : 's'} ${sliceList(badAcross)} could not be matched to the reference: they get the channel's mean offset`);
  return {
    translationsPx: wholePixels ? wholePixelShifts(applied) : applied,
    fittedPx: ref.fitted.map((s, i) => ({ dy: s.dy + offsetAt(i).dy, dx: s.dx + offsetAt(i).dx })),
    sigmaPx,
    confidence,
    significant: ref.significance.significant || across.offsetSignificant,
    message: `drift of the reference: ${ref.significance.message}; offset onto the reference: ${across.message}`,
    failedSlices: ref.failedSlices,
    lowConfidenceSlices,
    warnings,
  };
}
