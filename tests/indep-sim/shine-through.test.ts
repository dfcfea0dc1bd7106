// Shine-through: at 2 kV with a through-the-lens detector and epoxy in the
// pores, Otsu's threshold misclassifies a few to tens of percent (the solid
// behind the face lights up the pores), more at higher kV on the same
// structure, and far less with a surface-sensitive in-column detector.
// Otsu is computed here by brute force and checked against the manifest's
// scikit-image figure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIndepStack, type IndepStack } from '../helpers/indep-sim';
import { misclassifiedPercent, otsuThreshold, solidFraction } from './otsu';

const BASE = { family: 'spinodal', seed: 11, shape: [16, 64, 64], featurePx: 8 } as const;
const stacks: Record<string, IndepStack> = {};
const mp: Record<string, number> = {};
const otsuSolid: Record<string, number> = {};

beforeAll(() => {
  for (const [name, extra] of [
    ['1kV', { kv: 1 }],
    ['2kV', { kv: 2 }],
    ['4kV', { kv: 4 }],
    ['2kV-icd', { kv: 2, detector: 'icd' }],
  ] as const) {
    const s = makeIndepStack({ ...BASE, ...extra });
    stacks[name] = s;
    const t = otsuThreshold(s.grey.slices);
    mp[name] = misclassifiedPercent(s.grey.slices, s.truth, t);
    const asTruth = s.grey.slices.map((g) => Uint8Array.from(g, (v) => (v > t ? 1 : 0)));
    otsuSolid[name] = solidFraction(asTruth);
  }
});
afterAll(() => Object.values(stacks).forEach((s) => s.cleanup()));

describe('independent simulator: shine-through', () => {
  it('the manifest Otsu figure (scikit-image) matches a brute-force Otsu', () => {
    for (const name of Object.keys(stacks)) {
      expect(Math.abs(stacks[name].manifest.sanity.otsu_mp_percent - mp[name])).toBeLessThan(0.5);
    }
  });

  it('2 kV, TLD, epoxy: Otsu MP lies between 5 and 30 % and over-segments solid', () => {
    expect(mp['2kV']).toBeGreaterThan(5);
    expect(mp['2kV']).toBeLessThan(30);
    expect(otsuSolid['2kV']).toBeGreaterThan(solidFraction(stacks['2kV'].truth) + 0.02);
  });

  it('Otsu MP rises with kV on one structure (1 < 2 < 4 kV)', () => {
    const same = stacks['1kV'].truth.every((t, z) => Buffer.from(t).equals(Buffer.from(stacks['4kV'].truth[z])));
    expect(same).toBe(true);
    expect(mp['1kV']).toBeLessThan(mp['2kV'] - 1);
    expect(mp['2kV']).toBeLessThan(mp['4kV'] - 1);
  });

  it('an in-column detector (ICD) shows much less shine-through than the TLD', () => {
    expect(mp['2kV-icd']).toBeLessThan(mp['2kV'] / 2);
  });
});
