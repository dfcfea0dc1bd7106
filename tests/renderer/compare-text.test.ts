// The comparison table's text (pure): units on every number, the best row, what
// "Use" sets, and when the comparison can run.
import { describe, expect, it } from 'vitest';
import type { AnnotationScores, AnnotationSummary, MethodScore } from '../../src-shared/contract';
import { SEGMENTATION_METHODS } from '../../src-shared/pipeline-methods';
import { canCompare, compareOutdated, compareSummaryLine, iouText, isBest, percentText, pixelsText, scoreRowName, useChoice, wholeSliceText } from '../../src-renderer/components/compare-text';

const row = (r: Partial<MethodScore>): MethodScore => ({ method: 'otsu', mpPercent: 5, mgpPercent: 3, meanIoU: 0.9, pixels: 750, basis: 'b', ...r });
const summary = (totals: Record<string, number>, s: Partial<AnnotationSummary> = {}): AnnotationSummary => ({
  volume: 'grey',
  status: 'current',
  shape: [8, 48, 48],
  version: 4,
  classes: [],
  totals,
  slices: [],
  editCount: 4,
  undoable: 4,
  lastEdit: null,
  ...s,
});
const scores = (s: Partial<AnnotationScores> = {}): AnnotationScores => ({
  volume: 'grey',
  annotationVersion: 4,
  slices: [1, 4, 6],
  pixels: 12345,
  scores: [row({ method: 'otsu', mpPercent: 9 }), row({ method: 'model', model: 'unet2d-2kv', mpPercent: 4 }), row({ method: 'pixel-classifier', mpPercent: 4, wholeSliceMpPercent: 6.5 })],
  best: { method: 'model', model: 'unet2d-2kv', reason: 'r' },
  ...s,
});

describe('compare-text', () => {
  it('puts a unit on every number and a dash where the number is unknown (NaN, or null after JSON)', () => {
    expect(percentText(3.14159)).toBe('3.14 %');
    expect(percentText(0)).toBe('0.00 %');
    expect(percentText(NaN)).toBe('—');
    expect(percentText(null)).toBe('—');
    expect(iouText(0.91234)).toBe('0.912 (of 1)');
    expect(iouText(JSON.parse(JSON.stringify({ v: NaN })).v)).toBe('—');
    expect(pixelsText(750)).toBe('750 px');
    expect(pixelsText(1234567)).toBe('1 234 567 px');
    expect(pixelsText(1000)).toBe('1 000 px');
  });

  it('names rows, marks the best by method and model, and says what the classifier estimates over whole slices', () => {
    const s = scores();
    expect(s.scores.map(scoreRowName)).toEqual(['Otsu', 'model unet2d-2kv', 'pixel classifier']);
    // Two rows with the same MP: only the named best is marked (model and method must both match).
    expect(s.scores.map((r) => isBest(s, r))).toEqual([false, true, false]);
    expect(isBest(scores({ best: { method: 'pixel-classifier', reason: '' } }), s.scores[2])).toBe(true);
    expect(wholeSliceText(s.scores[2])).toBe('whole annotated slices: estimated MP 6.50 %');
    expect(wholeSliceText(s.scores[0])).toBe('');
    expect(compareSummaryLine(s)).toBe('Scored on 12 345 px painted on slices z 1, 4, 6 of "grey" (annotation version 4).');
    expect(compareSummaryLine(scores({ slices: [3], pixels: 20 }))).toBe('Scored on 20 px painted on slice z 3 of "grey" (annotation version 4).');
  });

  it('"Use" sets a method the step offers, and the model for a model row', () => {
    for (const m of SEGMENTATION_METHODS.filter((x) => x !== 'model')) expect(useChoice({ method: m })).toEqual({ method: m });
    expect(useChoice({ method: 'model', model: 'unet3d-2kv' })).toEqual({ method: 'model', model: 'unet3d-2kv' });
    expect(useChoice({ method: 'model' })).toBeNull();
    expect(useChoice({ method: 'watershed' })).toBeNull();
  });

  it('can compare only with pore and solid painted on annotations that belong to the volume; the table is outdated once they change', () => {
    expect(canCompare(null)).toBe(false);
    expect(canCompare(summary({ '1': 10, '2': 3 }))).toBe(true);
    expect(canCompare(summary({ '1': 10 }))).toBe(false);
    expect(canCompare(summary({ '1': 10, '2': 0 }))).toBe(false);
    expect(canCompare(summary({ '1': 10, '2': 3 }, { status: 'replaced' }))).toBe(false);
    expect(canCompare(summary({ '1': 10, '2': 3 }, { status: 'volume_missing' }))).toBe(false);
    expect(compareOutdated(scores(), summary({}, { version: 4 }))).toBe(false);
    expect(compareOutdated(scores(), summary({}, { version: 5 }))).toBe(true);
    expect(compareOutdated(scores(), summary({}, { volume: 'other', version: 5 }))).toBe(false);
    expect(compareOutdated(scores(), null)).toBe(false);
  });
});
