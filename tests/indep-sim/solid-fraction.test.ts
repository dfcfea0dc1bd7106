// The level cut hits the requested solid fraction on the imaged slices; the
// manifest reports the fraction that the truth really has.
import { describe, expect, it } from 'vitest';
import { makeIndepStack } from '../helpers/indep-sim';
import { solidFraction } from './otsu';

const CASES = [
  ['spinodal', 0.2],
  ['spinodal', 0.55],
  ['waves', 0.2],
  ['waves', 0.55],
  ['pores', 0.2],
  ['pores', 0.55],
  ['grains', 0.35],
  ['fibres', 0.3],
] as const;

describe('independent simulator: solid fraction', () => {
  it.each(CASES)('%s at %s: truth within 0.01 of the request, as the manifest says', (family, requested) => {
    const stack = makeIndepStack({ family, seed: 21, shape: [8, 48, 48], solidFraction: requested, featurePx: 8 });
    try {
      const measured = solidFraction(stack.truth);
      expect(Math.abs(measured - requested)).toBeLessThanOrEqual(0.01);
      expect(stack.manifest.solid_fraction_true).toBeCloseTo(measured, 9);
      expect(stack.manifest.solid_fraction_requested).toBe(requested);
      for (const t of stack.truth) for (let i = 0; i < t.length; i++) expect(t[i] <= 1).toBe(true);
    } finally {
      stack.cleanup();
    }
  });
});
