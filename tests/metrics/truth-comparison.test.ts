import { describe, expect, it } from 'vitest';
import type { Shape3, Volume } from '../../src-shared/volume';
import { compareToTruth } from '../../src-main/metrics/truth-comparison';
import { at, expectClose, labelVolume, random, randomVolume } from './volumes';

/** The result with each voxel flipped with probability p. */
function corrupt(v: Volume, p: number, seed: number): Volume {
  const rand = random(seed);
  return labelVolume(v.shape, (z, y, x) => (rand() < p ? 1 - at(v, z, y, x) : at(v, z, y, x)));
}

describe('comparison with ground truth (solid = positive)', () => {
  const shapes: Shape3[] = [[4, 5, 6], [1, 1, 17], [3, 1, 8], [10, 12, 9]];
  shapes.forEach((shape, i) => {
    it(`MP, MGP, Dice, MDS equal voxel-by-voxel counting on ${shape.join('x')} (z,y,x)`, () => {
      const truth = randomVolume(shape, 400 + i, 0.35);
      const result = corrupt(truth, 0.2, 500 + i);
      let tp = 0, tn = 0, fp = 0, fn = 0;
      for (let z = 0; z < shape[0]; z++) for (let y = 0; y < shape[1]; y++) for (let x = 0; x < shape[2]; x++) {
        const r = at(result, z, y, x), t = at(truth, z, y, x);
        if (r === 1 && t === 1) tp++;
        else if (r === 0 && t === 0) tn++;
        else if (r === 1) fp++;
        else fn++;
      }
      const n = tp + tn + fp + fn;
      const c = compareToTruth(result, truth);
      expect([c.truePositive, c.trueNegative, c.falsePositive, c.falseNegative, c.voxels]).toEqual([tp, tn, fp, fn, n]);
      const dSolid = (2 * tp) / (2 * tp + fp + fn);
      const dPore = (2 * tn) / (2 * tn + fp + fn);
      expectClose(
        [c.misplacedPercent, c.misplacedSolidPercent ?? NaN, c.diceSolid, c.dicePore, c.meanDice, c.solidFractionResult, c.solidFractionTruth],
        [100 * (1 - (tp + tn) / n), 100 * (1 - tp / (tp + fn)), dSolid, dPore, (dSolid + dPore) / 2, (tp + fp) / n, (tp + fn) / n],
      );
    });
  });

  it('is perfect for identical volumes and worst for the complement', () => {
    const t = randomVolume([5, 6, 7], 9, 0.4);
    const same = compareToTruth(t, t);
    expect([same.misplacedPercent, same.misplacedSolidPercent, same.meanDice]).toEqual([0, 0, 1]);
    const inverse = compareToTruth(labelVolume(t.shape, (z, y, x) => 1 - at(t, z, y, x)), t);
    expect([inverse.misplacedPercent, inverse.misplacedSolidPercent, inverse.meanDice]).toEqual([100, 100, 0]);
  });

  it('handles a phase absent from both volumes (Dice 1, MGP null)', () => {
    const pore = labelVolume([2, 3, 4], () => 0);
    const c = compareToTruth(pore, pore);
    expect(c.diceSolid).toBe(1);
    expect(c.misplacedSolidPercent).toBeNull();
    expect(c.meanDice).toBe(1);
  });

  it('refuses volumes of different shapes with size_mismatch naming both shapes', () => {
    const a = randomVolume([4, 5, 6], 1);
    const b = randomVolume([4, 6, 5], 2);
    expect(() => compareToTruth(a, b)).toThrow(
      expect.objectContaining({ tag: 'size_mismatch', message: expect.stringMatching(/6 x 5 x 4 voxels.*5 x 6 x 4 voxels/) }),
    );
  });

  it('refuses labels other than 0 and 1, naming which volume', () => {
    const a = randomVolume([2, 3, 3], 1);
    const b = randomVolume([2, 3, 3], 2);
    b.slices[1][4] = 2;
    expect(() => compareToTruth(a, b)).toThrow(expect.objectContaining({ tag: 'invalid_input', message: expect.stringMatching(/ground truth has label 2/) }));
  });
});
