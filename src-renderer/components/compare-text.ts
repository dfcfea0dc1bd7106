// The Segmentation step's comparison of methods on the user's annotations, as
// text (pure): row names, numbers with their units, which row is best, and what
// "Use" sets the step to.
import type { AnnotationScores, AnnotationSummary, MethodScore } from '../../src-shared/contract';
import { SEGMENTATION_METHODS, type SegmentationMethod } from '../../src-shared/pipeline-methods';

/** The annotation classes the comparison scores: 1 = pore, 2 = solid (as the pixel classifier). */
const COMPARED_CLASSES = [1, 2] as const;

/** True when the volume's annotations hold pore and solid pixels and belong to the volume as it is. */
export function canCompare(summary: AnnotationSummary | null): boolean {
  if (summary === null || (summary.status !== 'current' && summary.status !== 'none')) return false;
  return COMPARED_CLASSES.every((v) => (summary.totals[String(v)] ?? 0) > 0);
}

/** "Otsu", "model unet25d-w7-2kv", "pixel classifier". */
export function scoreRowName(s: Pick<MethodScore, 'method' | 'model'>): string {
  if (s.model) return `model ${s.model}`;
  return ROW_NAME[s.method] ?? s.method;
}

const ROW_NAME: Record<string, string> = {
  otsu: 'Otsu',
  'multi-otsu': 'multi-Otsu',
  kmeans: 'k-means',
  hybrid: 'hybrid',
  'pixel-classifier': 'pixel classifier',
};

const known = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** "3.25 %"; "—" when the number is unknown (NaN travels as null over JSON). */
export function percentText(v: number | null | undefined): string {
  return known(v) ? `${v.toFixed(2)} %` : '—';
}

/** Mean IoU, a fraction: "0.912 (of 1)". */
export function iouText(v: number | null | undefined): string {
  return known(v) ? `${v.toFixed(3)} (of 1)` : '—';
}

/** "12 345 px" (thin spaces between thousands would not copy well: plain spaces). */
export function pixelsText(n: number): string {
  return `${String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} px`;
}

/** The classifier's estimate over the whole annotated slices, beside its painted-pixel score; '' for other rows. */
export function wholeSliceText(s: MethodScore): string {
  return known(s.wholeSliceMpPercent) ? `whole annotated slices: estimated MP ${percentText(s.wholeSliceMpPercent)}` : '';
}

export function isBest(scores: AnnotationScores, s: MethodScore): boolean {
  return scores.best.method === s.method && (scores.best.model ?? null) === (s.model ?? null);
}

/** "Scored on 1 234 px painted on slices z 2, 5 (annotation version 7)." */
export function compareSummaryLine(scores: AnnotationScores): string {
  const slices = scores.slices.length === 1 ? `slice z ${scores.slices[0]}` : `slices z ${scores.slices.join(', ')}`;
  return `Scored on ${pixelsText(scores.pixels)} painted on ${slices} of "${scores.volume}" (annotation version ${scores.annotationVersion}).`;
}

/** What "Use" sets the step to: the method, and the model for a model row; null for a method the step does not offer. */
export function useChoice(s: Pick<MethodScore, 'method' | 'model'>): { method: SegmentationMethod; model?: string } | null {
  if (!(SEGMENTATION_METHODS as readonly string[]).includes(s.method)) return null;
  const method = s.method as SegmentationMethod;
  if (method === 'model') return s.model ? { method, model: s.model } : null;
  return { method };
}

/** True when the table no longer matches the annotations (painted or undone since). */
export function compareOutdated(scores: AnnotationScores, summary: AnnotationSummary | null): boolean {
  return summary !== null && summary.volume === scores.volume && summary.version !== scores.annotationVersion;
}
