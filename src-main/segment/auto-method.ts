// Method 'auto': which segmentation method to run on this stack, chosen by measurement.
//
// 1. Annotations, where the user has painted some: the method with the lowest MP on
//    them (the scores come from the caller; see score-on-annotations.ts).
// 2. Else the default model, when its out-of-distribution score is at or below the
//    calibrated threshold (src-main/segment/ood, docs/benchmarks.md).
// 3. Else the better of Otsu and k-means by the steepness of the grey edges their
//    boundaries follow (boundary-contrast.ts). On the calibration stacks (docs/benchmarks.md)
//    the solid fractions of the two always differ in the shine-through direction (k-means
//    less solid), yet which one is right differs: k-means on the app's own HNPG stacks,
//    where shine-through is a grey class of its own, Otsu on the independent simulator's,
//    where k-means' third class cuts through solid. The boundary tells them apart: Otsu's
//    ran along edges 5.7 to 126 % steeper than k-means' wherever Otsu was the better one,
//    and at most 0.6 % steeper on the HNPG stacks (one miss: a vacuum-filled stack where
//    k-means won at 6.5 %). k-means wins ties, as the method that removes the bias every
//    threshold has under shine-through.
// Pure: the evidence is gathered by auto-segment.ts.
import type { SegmentationMethod } from '../../src-shared/pipeline-methods';

export type RunnableMethod = Exclude<SegmentationMethod, 'auto'>;

/** Otsu's boundary must be this many times steeper than k-means' for Otsu to be chosen. */
export const OTSU_CONTRAST_RATIO = 1.03;

export interface ClassicalEvidence {
  /** Share of the sampled voxels labelled solid. */
  solidFraction: number;
  /** Mean grey gradient along the boundary, in units of the grey range (boundaryContrast). */
  boundaryContrast: number;
}

/** What the annotations that were scored hold. */
export interface AnnotationsUsed {
  /** The annotation version scored (bumped by every edit). */
  version: number;
  /** Painted pixels (pore and solid). */
  pixels: number;
  /** Annotated slices, z ascending. */
  slices: number[];
}

export interface AutoEvidence {
  /** Every method scored on the user's annotated slices (lowest MP wins); absent or empty without annotations. */
  annotationScores?: { method: RunnableMethod; model?: string; mpPercent: number }[];
  /** The annotations those scores were made on. */
  annotations?: AnnotationsUsed;
  /** The default model's out-of-distribution check (absent: see modelUnavailable). */
  model?: { name: string; score: number; threshold: number | null; outOfDepth: boolean | null };
  /** Why no model was checked (none installed, a float stack, ...). */
  modelUnavailable?: string;
  classical: { otsu: ClassicalEvidence; kmeans: ClassicalEvidence };
}

export interface AutoChoice {
  method: RunnableMethod;
  /** For method 'model' (and a model scored best on annotations). */
  model?: string;
  /** What decided: the annotations, the model's check, or the classical methods' boundaries. */
  basis: 'annotations' | 'ood-check' | 'boundary-contrast';
  /** One or two sentences for the user. */
  reason: string;
}

const pct = (f: number) => `${(100 * f).toFixed(1)} %`;

/** Otsu or k-means, by the steepness of the edges their boundaries follow. */
export function chooseClassical(c: AutoEvidence['classical']): { method: 'otsu' | 'kmeans'; reason: string } {
  const ratio = c.otsu.boundaryContrast / c.kmeans.boundaryContrast;
  const figures = `mean grey gradient along the boundary ${c.otsu.boundaryContrast.toFixed(3)} (Otsu, ${pct(c.otsu.solidFraction)} solid) vs ${c.kmeans.boundaryContrast.toFixed(3)} (k-means, ${pct(c.kmeans.solidFraction)} solid) of the grey range`;
  if (ratio >= OTSU_CONTRAST_RATIO) {
    return {
      method: 'otsu',
      reason: `Otsu: its boundary follows grey edges ${((ratio - 1) * 100).toFixed(0)} % steeper than k-means' (${figures}), so k-means' middle grey class cuts through solid here rather than isolating shine-through.`,
    };
  }
  return {
    method: 'kmeans',
    reason: `k-means: its boundary follows grey edges as steep as Otsu's or steeper (${figures}), so its middle grey class is shine-through, which Otsu would count as solid.`,
  };
}

export function chooseAutoMethod(e: AutoEvidence): AutoChoice {
  const scored = (e.annotationScores ?? []).filter((s) => Number.isFinite(s.mpPercent));
  if (scored.length > 0) {
    const best = scored.reduce((a, b) => (b.mpPercent < a.mpPercent ? b : a));
    const runnerUp = scored.filter((s) => s !== best).reduce<(typeof scored)[number] | undefined>((a, b) => (a === undefined || b.mpPercent < a.mpPercent ? b : a), undefined);
    const name = (s: (typeof scored)[number]) => (s.model ? `model ${s.model}` : s.method);
    const a = e.annotations;
    const painted = a ? ` (${a.pixels} painted pixels on slice${a.slices.length === 1 ? '' : 's'} ${a.slices.join(', ')}, version ${a.version})` : '';
    // What the measurements alone would have run, so that the user sees what the annotations changed.
    const rule = chooseAutoMethod({ ...e, annotationScores: undefined });
    const ruleName = rule.method === 'model' ? `model ${rule.model}` : rule.method;
    const same = rule.method === best.method && rule.model === best.model;
    return {
      method: best.method,
      ...(best.model ? { model: best.model } : {}),
      basis: 'annotations',
      reason:
        `${name(best)}: lowest MP on your annotations${painted}, ${best.mpPercent.toFixed(2)} %${runnerUp ? ` (next: ${name(runnerUp)}, ${runnerUp.mpPercent.toFixed(2)} %)` : ''}. ` +
        `Without annotations auto would ${same ? 'also run' : 'have run'} ${ruleName} (${rule.basis === 'ood-check' ? 'its out-of-distribution check passes' : "by the steepness of Otsu's and k-means' boundaries"}).`,
    };
  }
  const m = e.model;
  if (m && m.outOfDepth === false && m.threshold !== null) {
    return {
      method: 'model',
      model: m.name,
      basis: 'ood-check',
      reason: `model ${m.name}: it looks at home on this stack (out-of-distribution score ${m.score.toFixed(3)} <= ${m.threshold.toFixed(3)}).`,
    };
  }
  const c = chooseClassical(e.classical);
  const why = m
    ? m.threshold === null
      ? `the model ${m.name} could not be judged (no out-of-distribution calibration found)`
      : `the model ${m.name} looks out of its depth here (out-of-distribution score ${m.score.toFixed(3)} > ${m.threshold.toFixed(3)})`
    : `no model was checked (${e.modelUnavailable ?? 'none installed'})`;
  return { method: c.method, basis: 'boundary-contrast', reason: `${c.reason} Not the model: ${why}.` };
}
