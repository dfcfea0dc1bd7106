// What the Annotate mode and the pixel classifier's preview say (no DOM): the
// method's name in the list, counts per class, the accuracy estimate with its
// units, and the keys. Pure, so that Node tests check every sentence.
import type { AnnotationClass, AnnotationCounts, SegmentPreview } from '../../src-shared/contract';
import type { SegmentationMethod } from '../../src-shared/pipeline-methods';

/** Names in the method list where the bare method name says too little. */
export const SEGMENT_METHOD_LABEL: Partial<Record<SegmentationMethod, string>> = {
  'pixel-classifier': 'Pixel classifier (learns from your annotations)',
  auto: 'auto (recommended)',
};

export function methodLabel(method: SegmentationMethod): string {
  return SEGMENT_METHOD_LABEL[method] ?? method;
}

export type ClassifierEstimate = NonNullable<NonNullable<SegmentPreview['classifier']>['estimate']>;

/** "pore 1200 px · solid 430 px" in the classes' order; classes without pixels say 0. */
export function countsLine(counts: AnnotationCounts, classes: readonly AnnotationClass[]): string {
  return classes.map((c) => `${c.name} ${counts[String(c.value)] ?? 0} px`).join(' · ');
}

/** What was held out, in a few words, for the headline of the estimate. */
export function heldOutWords(e: ClassifierEstimate): string {
  if (e.scheme === 'leave-one-slice-out' || e.scheme === 'slice-groups') return 'whole slices held out';
  if (e.scheme === 'spatial-blocks') return 'strips of the only annotated slice held out: optimistic, annotate a second slice';
  return 'nothing could be held out';
}

function pct(v: number | null): string {
  return v === null || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(1)} %`;
}

/**
 * The accuracy estimate in one line. The headline, once two or more slices are
 * annotated: misplaced voxels (MP) of whole annotated slices, each predicted by
 * a forest that did not learn from it. Then the figures on the held-out painted
 * pixels themselves: MP, misclassified solid pixels (MGP) and the mean
 * intersection over union of pore and solid (mIoU). Or why there is none.
 */
export function estimateLine(e: ClassifierEstimate | null): string {
  if (e === null) return 'No accuracy estimate (cross-validation was not run).';
  if (e.mpPercent === null) return `No accuracy estimate yet: ${e.note}`;
  const iou = e.meanIoU === null || !Number.isFinite(e.meanIoU) ? 'n/a' : e.meanIoU.toFixed(2);
  const painted = `MP ${pct(e.mpPercent)}, MGP ${pct(e.mgpPercent)}, mIoU ${iou} on ${e.pixels} painted pixels`;
  if (e.wholeSliceMpPercent !== null) {
    return `Estimated from your annotations (whole slices held out): MP ${pct(e.wholeSliceMpPercent)} of the annotated slices' voxels; on the held-out painted pixels themselves ${painted}.`;
  }
  return `Estimated from your annotations (${heldOutWords(e)}): ${painted}.`;
}

/** What the preview learnt from and what it shows. */
export function classifierPreviewLine(p: Omit<SegmentPreview, 'labelsBase64' | 'uncertaintyBase64'>): string {
  const painted = p.classifier ? `learnt from ${p.classifier.painted} painted pixels (annotation version ${p.classifier.annotationVersion})` : 'learnt from your annotations';
  return `Pixel classifier ${painted}: solid ${(100 * p.solidFraction).toFixed(1)} % of slice z ${p.z} (${p.width} x ${p.height} px), ${p.seconds.toFixed(1)} s.`;
}

/** The keys of the Annotate mode, for the hint under the tools. */
export const ANNOTATE_KEYS_TEXT =
  'Keys: 1 / 2 class · B brush · E eraser · F fill · [ / ] brush radius · Ctrl+Z undo · Shift+drag or middle-drag pans · wheel zooms · ↑/↓ slice.';
