// What the Segmentation step says about method auto before and after a run (pure text):
// the method it will run when a comparison on the current annotations with every model
// already names it, how it will choose otherwise, and the scores it chose by.
import { describe, expect, it } from 'vitest';
import type { AnnotationScores, AnnotationSummary, MethodScore } from '../../src-shared/contract';
import { AUTO_BY_MEASUREMENT, autoPlan, autoPreviewLine, autoScoresLine } from '../../src-renderer/components/auto-text';

const summary = (totals: Record<string, number>, over: Partial<AnnotationSummary> = {}): AnnotationSummary => ({
  volume: 'grey',
  status: 'current',
  shape: [8, 40, 48],
  version: 4,
  classes: [],
  totals,
  slices: [],
  editCount: 4,
  undoable: 4,
  lastEdit: null,
  ...over,
});
const row = (r: Partial<MethodScore>): MethodScore => ({ method: 'otsu', mpPercent: 5, mgpPercent: 3, meanIoU: 0.9, pixels: 300, basis: 'b', ...r });
const table = (over: Partial<AnnotationScores> = {}): AnnotationScores => ({
  volume: 'grey',
  annotationVersion: 4,
  slices: [2, 5],
  pixels: 300,
  scores: [row({ method: 'otsu', mpPercent: 9.5 }), row({ method: 'model', model: 'm2d', mpPercent: 3.25 }), row({ method: 'model', model: 'm25d', mpPercent: 4 }), row({ method: 'pixel-classifier', mpPercent: 6 })],
  best: { method: 'model', model: 'm2d', reason: '…' },
  ...over,
});
const MODELS = ['m2d', 'm25d'];

describe("auto's plan before the run", () => {
  it('without usable annotations: chooses by measurement, and says what would let the annotations decide', () => {
    expect(autoPlan('grey', null, null, MODELS)).toMatchObject({ kind: 'measurement' });
    expect(autoPlan('grey', null, null, MODELS).text.startsWith(AUTO_BY_MEASUREMENT)).toBe(true);
    expect(autoPlan('grey', summary({}), table(), MODELS).text).not.toMatch(/Paint/);
    expect(autoPlan('grey', summary({ '1': 40 }), table(), MODELS).text).toMatch(/ Paint solid too and auto chooses by your annotations instead\.$/);
    expect(autoPlan('grey', summary({ '2': 40 }), null, MODELS).text).toMatch(/ Paint pore too /);
    const stale = autoPlan('grey', summary({ '1': 40, '2': 30 }, { status: 'replaced' }), table(), MODELS);
    expect(stale.kind).toBe('measurement');
    expect(stale.text).toMatch(/stale .* so auto does not use them\.$/);
    // Another volume's summary says nothing about this one.
    expect(autoPlan('other', summary({ '1': 40, '2': 30 }), table(), MODELS).kind).toBe('measurement');
  });

  it('with pore and solid painted: the comparison names the method when it scored these annotations with every model', () => {
    const s = summary({ '1': 200, '2': 100 });
    const known = autoPlan('grey', s, table(), MODELS);
    expect(known).toMatchObject({ kind: 'known', method: 'model', model: 'm2d' });
    expect(known.text).toBe(
      'auto will run model m2d: the lowest MP on your annotations, 3.25 % in the comparison below (annotation version 4). The run scores the methods again and records the scores with its choice.',
    );
    // Painted since the comparison, a model left out of it, another volume's table, models not listed yet: not known.
    const painting = autoPlan('grey', summary({ '1': 200, '2': 120 }, { version: 5 }), table(), MODELS);
    expect(painting.kind).toBe('annotations');
    expect(painting.text).toBe(
      'auto: chooses by your annotations — the run scores every method on the 320 painted pixels (as the comparison below does) and runs the one with the lowest MP; the choice and the reason appear in the run log/result.',
    );
    expect(autoPlan('grey', s, table(), [...MODELS, 'm3d']).kind).toBe('annotations');
    expect(autoPlan('grey', s, table({ volume: 'other' }), MODELS).kind).toBe('annotations');
    expect(autoPlan('grey', s, table(), null).kind).toBe('annotations');
    expect(autoPlan('grey', s, null, MODELS).kind).toBe('annotations');
  });
});

describe("auto's scores after the run", () => {
  it('lists the MP of every method on the annotations, lowest first, only when they decided', () => {
    const scores = [
      { method: 'otsu', mpPercent: 9.5, mgpPercent: null },
      { method: 'model', model: 'm2d', mpPercent: 3.25 },
      { method: 'pixel-classifier', mpPercent: 6 },
    ];
    expect(autoScoresLine({ auto: { basis: 'annotations', annotationScores: scores } })).toBe('MP on your annotations: model m2d 3.25 %, pixel classifier 6.00 %, Otsu 9.50 %.');
    expect(autoScoresLine({ auto: { basis: 'boundary-contrast' } })).toBeNull();
    expect(autoScoresLine({ method: 'otsu' })).toBeNull();
  });

  it("a preview of auto names the method it would run on the whole stack and why", () => {
    expect(autoPreviewLine({ method: 'model', model: 'm2d', basis: 'annotations', reason: 'model m2d: lowest MP on your annotations.' })).toBe(
      'auto would run model m2d on the whole stack: model m2d: lowest MP on your annotations.',
    );
    expect(autoPreviewLine({ method: 'kmeans', basis: 'boundary-contrast', reason: 'k-means: …' })).toBe('auto would run kmeans on the whole stack: k-means: …');
  });
});
