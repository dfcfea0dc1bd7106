import { describe, expect, it } from 'vitest';
import type { Shape3 } from '../../src-shared/volume';
import { connectedComponents, labelClusters } from '../../src-main/metrics/descriptors/connected-components';
import { phaseMask } from '../../src-main/metrics/descriptors/phase';
import { makeVolume, randomBinary, reference, toNested } from './volumes';

type Ref = Record<'solid' | 'pore', { count: number; sizes: number[] }>;

describe('connected components (6-connectivity)', () => {
  const shapes: Shape3[] = [[8, 9, 10], [12, 5, 7], [1, 20, 20], [6, 6, 6]];
  shapes.forEach((shape, i) => {
    it(`cluster counts and sizes equal scipy.ndimage.label, random ${shape.join('x')}`, () => {
      const v = randomBinary(shape, 40 + i, 0.35 + 0.1 * i);
      const ref = reference<Ref>({ op: 'labels', volume: toNested(v) });
      const c = connectedComponents(v);
      for (const phase of ['solid', 'pore'] as const) {
        expect(c[phase].clusterCount).toBe(ref[phase].count);
        const { labels, count } = labelClusters(phaseMask(v.slices as Uint8Array[], phase), v.shape);
        const sizes = new Array(count).fill(0);
        for (const id of labels) if (id > 0) sizes[id - 1]++;
        expect(sizes.sort((a, b) => b - a)).toEqual(ref[phase].sizes);
        const total = ref[phase].sizes.reduce((a, b) => a + b, 0);
        expect(c[phase].largestClusterFraction).toBeCloseTo(ref[phase].sizes[0] / total, 12);
      }
      expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    });
  });

  it('finds percolation and isolated clusters on a known structure', () => {
    // A rod along x through the middle, and one floating solid voxel that touches no face.
    const v = makeVolume([7, 7, 9], (z, y, x) => ((z === 3 && y === 3) || (z === 1 && y === 1 && x === 6) ? 1 : 0));
    const c = connectedComponents(v);
    expect(c.solid.clusterCount).toBe(2);
    expect(c.solid.percolates).toEqual({ x: true, y: false, z: false });
    expect(c.solid.isolatedFraction).toBeCloseTo(1 / 10, 12);
    expect(c.solid.largestClusterFraction).toBeCloseTo(9 / 10, 12);
    expect(c.pore.clusterCount).toBe(1);
    expect(c.pore.percolates).toEqual({ x: true, y: true, z: true });
    expect(c.pore.isolatedFraction).toBe(0);
    // Diagonal contact only: two clusters under 6-connectivity.
    const diag = makeVolume([3, 3, 3], (z, y, x) => ((z === 0 && y === 0 && x === 0) || (z === 1 && y === 1 && x === 1) ? 1 : 0));
    expect(connectedComponents(diag).solid.clusterCount).toBe(2);
    expect(connectedComponents(makeVolume([2, 2, 2], () => 0)).solid.largestClusterFraction).toBeNull();
  });
});
