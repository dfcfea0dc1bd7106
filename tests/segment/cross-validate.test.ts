// Cross-validation by held-out slices: folds never train on the slice they
// predict (shown by slices whose labels are flipped, which only a leak could
// predict), slice groups, the one-slice fallback to spatial strips with a gap,
// and pooled metrics against scikit-learn's on the out-of-fold predictions.
import { describe, expect, it } from 'vitest';
import { type AnnotatedSamples, NOT_HELD_OUT, crossValidate } from '../../src-main/segment/pixel-classifier';
import { runPython } from '../helpers/python';
import { random } from '../helpers/random';

const FOREST = { nTrees: 16, maxDepth: 8, seed: 2 };

/**
 * perSlice samples on each slice. Feature 0 carries the class (x0 > 0.5
 * means solid) with `noise` of the labels flipped at random; features 2-4
 * are noise. On the slices in `flipped` every label is inverted and feature 1
 * marks them (about 1 there, about 0 elsewhere, as a slice-wide grey offset
 * would), so only a forest that saw a flipped slice can learn its rule.
 */
function slicedProblem(slices: number[], perSlice: number, flipped: Set<number>, noise: number, seed: number): AnnotatedSamples & { labels: Uint8Array } {
  const rnd = random(seed);
  const F = 5;
  const n = slices.length * perSlice;
  const features = new Float32Array(n * F);
  const labels = new Uint8Array(n);
  const sliceIndex = new Int32Array(n);
  const row = new Int32Array(n);
  const col = new Int32Array(n);
  let i = 0;
  for (const z of slices) {
    for (let j = 0; j < perSlice; j++, i++) {
      features[i * F] = rnd();
      features[i * F + 1] = (flipped.has(z) ? 1 : 0) + 0.1 * rnd();
      for (let f = 2; f < F; f++) features[i * F + f] = rnd();
      let c = features[i * F] > 0.5 ? 1 : 0;
      if (rnd() < noise) c = 1 - c;
      labels[i] = flipped.has(z) ? 1 - c : c;
      sliceIndex[i] = z;
      row[i] = Math.floor(rnd() * 300);
      col[i] = Math.floor(rnd() * 200);
    }
  }
  return { features, nFeatures: F, labels, sliceIndex, row, col };
}

describe('cross-validation over annotated slices', () => {
  it('leave-one-slice-out never trains on the held-out slice: a flipped slice is mispredicted, the others are not', () => {
    const s = slicedProblem([3, 10, 17, 40], 400, new Set([17]), 0, 1);
    const cv = crossValidate(s, { forest: FOREST });
    expect(cv.scheme).toBe('leave-one-slice-out');
    expect(cv.weaker).toBe(false);
    expect(cv.folds.map((f) => f.heldOutSlices)).toEqual([[3], [10], [17], [40]]);
    for (const f of cv.folds) {
      for (const i of f.trained) expect(f.heldOutSlices).not.toContain(s.sliceIndex[i]);
      for (const i of f.heldOut) expect(f.heldOutSlices).toContain(s.sliceIndex[i]);
      expect(f.nTrain + f.nTest).toBe(s.labels.length);
      // A leak would let feature 1 learn slice 17's inverted rule.
      if (f.heldOutSlices[0] === 17) expect(f.metrics.mp).toBeGreaterThan(90);
      else expect(f.metrics.mp).toBeLessThan(5);
    }
    // Trained on all four slices, the same forest does learn slice 17: the test above can fail.
    const leaky = crossValidate({ ...s, sliceIndex: new Int32Array(s.labels.length), row: s.row, col: s.col }, { forest: FOREST, blockFolds: 2, blockGapPx: 0 });
    expect(leaky.scheme).toBe('spatial-blocks');
    expect(leaky.pooled?.mp).toBeLessThan(10);
  });

  it('many annotated slices are held out in groups of neighbouring slices; every sample is predicted once', () => {
    const slices = Array.from({ length: 12 }, (_, i) => 5 * i);
    const s = slicedProblem(slices, 150, new Set([45, 50, 55]), 0, 2);
    const cv = crossValidate(s, { forest: FOREST, maxFolds: 4 });
    expect(cv.scheme).toBe('slice-groups');
    expect(cv.folds.map((f) => f.heldOutSlices)).toEqual([
      [0, 5, 10],
      [15, 20, 25],
      [30, 35, 40],
      [45, 50, 55],
    ]);
    expect(cv.outOfFold.every((v) => v !== NOT_HELD_OUT)).toBe(true);
    expect(cv.folds[3].metrics.mp).toBeGreaterThan(90);
    for (const f of cv.folds.slice(0, 3)) expect(f.metrics.mp).toBeLessThan(5);
  });

  it('one annotated slice: held-out strips, no training pixel within the gap, marked weaker', () => {
    const s = slicedProblem([7], 1200, new Set(), 0.1, 3);
    const gap = 20;
    const cv = crossValidate(s, { forest: FOREST, blockFolds: 4, blockGapPx: gap });
    expect(cv.scheme).toBe('spatial-blocks');
    expect(cv.weaker).toBe(true);
    expect(cv.folds).toHaveLength(4);
    const row = s.row as Int32Array; // rows span 300 px, columns 200: strips cut across rows
    let tested = 0;
    for (const f of cv.folds) {
      expect(f.block?.axis).toBe('row');
      const held = Array.from(f.heldOut, (i) => row[i]);
      const lo = Math.min(...held);
      const hi = Math.max(...held);
      expect(f.nTest).toBeGreaterThan(200);
      for (const i of f.trained) expect(Math.min(Math.abs(row[i] - lo), Math.abs(row[i] - hi))).toBeGreaterThanOrEqual(gap);
      for (const i of f.trained) expect(row[i] >= lo && row[i] <= hi).toBe(false);
      expect(f.nTrain + f.nTest + f.nGap).toBe(1200);
      tested += f.nTest;
    }
    expect(tested).toBe(1200);
    // 10 % label noise: the estimate should say about 10 % misplaced.
    expect(cv.pooled?.mp).toBeGreaterThan(6);
    expect(cv.pooled?.mp).toBeLessThan(16);
  });

  it('one annotated slice without positions: no estimate, and it says why', () => {
    const s = slicedProblem([7], 300, new Set(), 0, 4);
    const cv = crossValidate({ ...s, row: undefined, col: undefined }, { forest: FOREST });
    expect(cv.scheme).toBe('none');
    expect(cv.weaker).toBe(true);
    expect(cv.pooled).toBeNull();
    expect(cv.folds).toHaveLength(0);
    expect(cv.note).toMatch(/second slice/);
  });

  it('per-fold and pooled MP, MGP, Dice and mIoU equal scikit-learn on the out-of-fold predictions', () => {
    const s = slicedProblem([0, 1, 2], 500, new Set(), 0.15, 5);
    const cv = crossValidate(s, { forest: FOREST });
    const folds = cv.folds.map((f) => Array.from(f.heldOut));
    const ref = JSON.parse(
      runPython(
        `
import json, sys, numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, jaccard_score, recall_score
d = json.loads(sys.stdin.read())
y, p = np.array(d['truth']), np.array(d['pred'])
def m(idx):
    t, q = y[idx], p[idx]
    iou = jaccard_score(t, q, average=None, labels=[0, 1])
    return {'mp': 100 * (1 - accuracy_score(t, q)), 'mgp': 100 * (1 - recall_score(t, q, pos_label=1)),
            'dice': f1_score(t, q, average=None, labels=[0, 1]).tolist(), 'iou': iou.tolist(), 'miou': float(iou.mean()),
            'cm': confusion_matrix(t, q, labels=[0, 1]).ravel().tolist()}
print(json.dumps({'pooled': m(np.concatenate(d['folds'])), 'folds': [m(np.array(f)) for f in d['folds']]}))
`,
        [],
        JSON.stringify({ truth: Array.from(s.labels), pred: Array.from(cv.outOfFold), folds }),
      ),
    );
    const check = (ours: NonNullable<typeof cv.pooled>, r: { mp: number; mgp: number; dice: number[]; iou: number[]; miou: number }) => {
      expect(ours.mp).toBeCloseTo(r.mp, 9);
      expect(ours.mgp).toBeCloseTo(r.mgp, 9);
      for (let k = 0; k < 2; k++) {
        expect(ours.dice[k]).toBeCloseTo(r.dice[k], 9);
        expect(ours.iou[k]).toBeCloseTo(r.iou[k], 9);
      }
      expect(ours.miou).toBeCloseTo(r.miou, 9);
      expect(ours.mds).toBeCloseTo((r.dice[0] + r.dice[1]) / 2, 9);
    };
    check(cv.pooled as NonNullable<typeof cv.pooled>, ref.pooled);
    expect(Array.from(cv.pooledConfusion?.counts ?? [])).toEqual(ref.pooled.cm);
    cv.folds.forEach((f, i) => check(f.metrics, ref.folds[i]));
    // Label noise 15 %: the estimate is neither perfect nor chance.
    expect(cv.pooled?.mp).toBeGreaterThan(8);
    expect(cv.pooled?.mp).toBeLessThan(25);
  });
});
