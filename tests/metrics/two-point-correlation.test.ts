import { describe, expect, it } from 'vitest';
import type { Shape3 } from '../../src-shared/volume';
import { twoPointCorrelation } from '../../src-main/metrics/two-point-correlation';
import { type Axis, bruteTwoPoint, expectClose, labelVolume, randomVolume } from './volumes';

const SHAPES: Shape3[] = [[5, 7, 9], [1, 6, 11], [8, 1, 5], [6, 4, 1], [3, 3, 3], [1, 1, 13], [17, 9, 33]];
const AXES: Axis[] = ['x', 'y', 'z'];
const length = (s: Shape3, a: Axis) => (a === 'x' ? s[2] : a === 'y' ? s[1] : s[0]);

describe('two-point correlation S2 (solid, non-periodic)', () => {
  SHAPES.forEach((shape, i) => {
    it(`equals the pair-by-pair definition on a random ${shape.join('x')} (z,y,x) volume, both methods, every r`, () => {
      const v = randomVolume(shape, 100 + i, 0.3 + 0.1 * i);
      for (const axis of AXES) {
        const rMax = length(shape, axis) - 1;
        const expected = bruteTwoPoint(v, axis, rMax);
        for (const method of ['direct', 'fft', 'auto'] as const) {
          const c = twoPointCorrelation(v, axis, rMax, method);
          expectClose(c.values, expected);
          expect(c.rVoxels).toEqual(Array.from({ length: rMax + 1 }, (_, r) => r));
          expectClose(c.rNm, c.rVoxels.map((r) => r * 5));
        }
      }
    });
  });

  it('is 1 at every r on an all-solid volume and 0 on an all-pore one', () => {
    const solid = labelVolume([4, 6, 8], () => 1);
    const pore = labelVolume([4, 6, 8], () => 0);
    for (const axis of AXES) {
      for (const method of ['direct', 'fft'] as const) {
        expect(twoPointCorrelation(solid, axis, 3, method).values).toEqual([1, 1, 1, 1]);
        expect(twoPointCorrelation(pore, axis, 3, method).values).toEqual([0, 0, 0, 0]);
      }
    }
  });

  it('S2(0) is the solid fraction and the curve serialises to JSON unchanged', () => {
    const v = randomVolume([6, 10, 12], 7, 0.4);
    let solid = 0;
    for (const s of v.slices) for (const x of s) solid += x;
    const c = twoPointCorrelation(v, 'y', 4);
    expect(c.values[0]).toBeCloseTo(solid / 720, 12);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it('refuses an r beyond the volume and non-binary labels', () => {
    const v = randomVolume([4, 5, 6], 3);
    expect(() => twoPointCorrelation(v, 'z', 4)).toThrow(expect.objectContaining({ tag: 'invalid_input' }));
    v.slices[2][7] = 255;
    expect(() => twoPointCorrelation(v, 'x', 2)).toThrow(expect.objectContaining({ tag: 'invalid_input', message: expect.stringMatching(/label 255/) }));
  });
});
