// The pixel classifier as a user meets it, on stacks of two independently written
// generators: the app's own forward model (hierarchical nanoporous gold, 2 kV TLD) and
// the independent simulator (training/indep_sim: spinodal and sintered-grain
// structures, another shine-through model). A simulated user paints at most 1 % of the
// pixels of 3 slices (interior strokes, then 3 rounds of strokes over the largest
// errors of the last result); every method is scored on the slices nobody painted.
// Asserted: the classifier beats Otsu on both generators, and k-means and every shipped
// U-Net on the independent one; on the app's own stack it is level with k-means and the
// U-Nets (trained on that very generator) stay better, which the test records rather
// than hides. The accuracy estimate from the annotations alone is conservative (never
// a point below the truth, at most 6.5 above); with so few painted pixels it is not
// within 2 points of the truth.
import { describe, expect, it } from 'vitest';
import { appSyntheticStack } from '../helpers/app-synthetic-stack';
import { evaluateClassifier, type EvaluationResult } from '../helpers/classifier-evaluation';
import { makeIndepStack } from '../helpers/indep-sim';

const SHAPE: [number, number, number] = [20, 96, 96];
const OPTS = { painted: [3, 10, 16], budgetFraction: 0.01, rounds: 3, models: ['unet25d-w7-2kv', 'unet2d-2kv', 'unet3d-2kv'] };

function checkEstimate(r: EvaluationResult): void {
  const last = r.rounds[r.rounds.length - 1];
  const truth = r.classifier.mp;
  expect(last.wholeSliceMp).not.toBeNull();
  // Conservative: never more than a point below the truth, and at most 6.5 points above it (docs/pixel-classifier.md;
  // the aim of 2 points is not reached with so few painted pixels).
  expect(last.wholeSliceMp!).toBeGreaterThan(truth - 1);
  expect(last.wholeSliceMp!).toBeLessThan(truth + 6.5);
}


describe('pixel classifier with at most 1 % of 3 slices painted, scored on the unpainted slices', () => {
  for (const family of ['spinodal', 'grains'] as const) {
    it(`independent simulator, ${family}, 2 kV: beats Otsu, k-means and every shipped U-Net`, async () => {
      const s = makeIndepStack({ family, seed: 5, shape: SHAPE, kv: 2, featurePx: 10 });
      try {
        const r = await evaluateClassifier(s.grey, s.truth, OPTS);
        expect(r.paintedFraction).toBeLessThanOrEqual(0.01);
        for (const [m, score] of Object.entries(r.others)) expect(r.classifier.mp, `${m}: ${score.mp}`).toBeLessThan(score.mp);
        checkEstimate(r);
      } finally {
        s.cleanup();
      }
    }, 180_000);
  }

  it("the app's own generator (HNPG seed 100, 2 kV): beats Otsu, level with k-means; the U-Nets trained on this generator stay ahead", async () => {
    const { grey, truth } = await appSyntheticStack(SHAPE, 100, 2);
    const r = await evaluateClassifier(grey, truth, OPTS);
    expect(r.paintedFraction).toBeLessThanOrEqual(0.01);
    expect(r.classifier.mp).toBeLessThan(r.others.otsu.mp);
    // k-means removes most of this generator's shine-through already (3.4 %): the classifier is level with it
    // (2.7-3.9 % with these settings), not reliably below; the U-Nets trained on this generator stay ahead.
    expect(r.classifier.mp).toBeLessThan(r.others.kmeans.mp + 1);
    expect(r.others['unet25d-w7-2kv'].mp).toBeLessThan(r.classifier.mp);
    checkEstimate(r);
  }, 180_000);
});
