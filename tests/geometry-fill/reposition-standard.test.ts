import { describe, expect, it } from 'vitest';
import { standardGridPlacement } from '../../src-main/geometry/reposition-standard';
import { random } from '../helpers/random';

describe('standardGridPlacement (the SRCS baseline: round to the target grid, later slice overwrites)', () => {
  it('keeps the last slice of every cell and reports the others lost', () => {
    // 0 -> 0, 4 -> 0 (overwrites 0), 12 -> 1, 19 -> 2, 26 -> 3 (3 would be 2.6 -> 3), 31 -> 3 (overwrites 26)
    const r = standardGridPlacement([0, 4, 12, 19, 26, 31], 10);
    expect(r.kept).toEqual([1, 2, 3, 5]);
    expect(r.lost).toEqual([0, 4]);
    expect(r.placement.gridIndex).toEqual([0, 1, 2, 3]);
    expect(r.placement.gridLength).toBe(4);
    expect(r.placement.maxShiftNm).toBeCloseTo(4, 12);
  });

  it('random thickness sequences (zeros, thin runs, very thick slices): every slice kept or lost once, cells strictly increase, kept = last of its cell', () => {
    const rnd = random(31);
    for (let trial = 0; trial < 50; trial++) {
      const z = [0];
      const n = 1 + Math.floor(200 * rnd());
      for (let i = 1; i < n; i++) {
        const u = rnd();
        z.push(z[i - 1] + (u < 0.1 ? 0 : u < 0.25 ? 0.5 * rnd() : u < 0.3 ? 40 + 60 * rnd() : 5 + 10 * rnd()));
      }
      const r = standardGridPlacement(z, 10);
      expect([...r.kept, ...r.lost].sort((a, b) => a - b)).toEqual(z.map((_, i) => i));
      r.placement.gridIndex.forEach((g, j) => {
        expect(g).toBe(Math.round(z[r.kept[j]] / 10));
        if (j > 0) expect(g).toBeGreaterThan(r.placement.gridIndex[j - 1]);
      });
      for (const i of r.lost) expect(Math.round(z[i + 1] / 10)).toBe(Math.round(z[i] / 10));
      expect(r.placement.maxShiftNm).toBeLessThanOrEqual(5 + 1e-9);
    }
  });

  it('refuses bad input with a message', () => {
    expect(() => standardGridPlacement([0, 5], 0)).toThrow(/positive number of nm/);
    expect(() => standardGridPlacement([0, 5, 3], 10)).toThrow(/non-decreasing/);
    expect(() => standardGridPlacement([], 10)).toThrow(/no slices/);
  });
});
