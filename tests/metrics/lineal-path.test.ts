import { describe, expect, it } from 'vitest';
import type { Shape3 } from '../../src-shared/volume';
import { linealPath, solidRunLengthHistogram, solidSegmentCounts } from '../../src-main/metrics/lineal-path';
import { type Axis, bruteLinealPath, expectClose, labelVolume, randomVolume } from './volumes';

const SHAPES: Shape3[] = [[5, 7, 9], [1, 6, 11], [8, 1, 5], [6, 4, 1], [3, 3, 3], [1, 1, 13], [17, 9, 33]];
const AXES: Axis[] = ['x', 'y', 'z'];
const length = (s: Shape3, a: Axis) => (a === 'x' ? s[2] : a === 'y' ? s[1] : s[0]);

describe('lineal path L (solid, segments of r steps = r + 1 voxels, non-periodic)', () => {
  SHAPES.forEach((shape, i) => {
    it(`equals the segment-by-segment definition on a random ${shape.join('x')} (z,y,x) volume, every r`, () => {
      const v = randomVolume(shape, 200 + i, 0.5 + 0.06 * i);
      for (const axis of AXES) {
        const rMax = length(shape, axis) - 1;
        expectClose(linealPath(v, axis, rMax).values, bruteLinealPath(v, axis, rMax));
      }
    });
  });

  it('counts runs that touch the faces of the volume', () => {
    // One line along x: 1 1 0 1 1 1 0 0 1 -> runs of 2, 3, 1.
    const row = [1, 1, 0, 1, 1, 1, 0, 0, 1];
    const v = labelVolume([1, 1, 9], (_z, _y, x) => row[x]);
    const h = solidRunLengthHistogram(v.slices as Uint8Array[], v.shape, 'x');
    expect(Array.from(h)).toEqual([0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    // Segments of r steps: r=0: 6 voxels; r=1: 1 + 2; r=2: 1; r=3: 0.
    expect(Array.from(solidSegmentCounts(h, 4))).toEqual([6, 3, 1, 0, 0]);
    expectClose(linealPath(v, 'x', 4).values, [6 / 9, 3 / 8, 1 / 7, 0, 0]);
  });

  it('is 1 on an all-solid volume', () => {
    const v = labelVolume([5, 4, 6], () => 1);
    for (const axis of AXES) expect(linealPath(v, axis, 3).values).toEqual([1, 1, 1, 1]);
  });

  it('has the closed form on solid slabs perpendicular to z', () => {
    // Slabs t voxels thick every P slices, m periods: along z every line meets m runs of t voxels,
    // so L_z(r) = m max(0, t - r) / (m P - r); along x and y a line is all solid or all pore: L = t / P.
    const t = 3, P = 8, m = 4;
    const v = labelVolume([m * P, 6, 7], (z) => (z % P < t ? 1 : 0));
    const rMax = 12;
    const expectedZ = Array.from({ length: rMax + 1 }, (_, r) => (m * Math.max(0, t - r)) / (m * P - r));
    expectClose(linealPath(v, 'z', rMax).values, expectedZ);
    expectClose(linealPath(v, 'x', 6).values, Array(7).fill(t / P));
    expectClose(linealPath(v, 'y', 5).values, Array(6).fill(t / P));
  });
});
