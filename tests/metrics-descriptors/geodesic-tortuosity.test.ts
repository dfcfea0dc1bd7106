import { describe, expect, it } from 'vitest';
import type { Shape3, VoxelSizeNm } from '../../src-shared/volume';
import { type VoxelConnectivity, geodesicDistanceFromFaceNm, geodesicTortuosity } from '../../src-main/metrics/descriptors/geodesic-tortuosity';
import { phaseMask } from '../../src-main/metrics/descriptors/phase';
import { blobVolume, makeVolume, randomBinary, reference, toNested } from './volumes';

describe('geodesic distance and tortuosity (Dijkstra on the voxel graph)', () => {
  const cases: [Shape3, VoxelSizeNm, VoxelConnectivity, 'x' | 'y' | 'z'][] = [
    [[8, 9, 10], { x: 1, y: 1, z: 1 }, 26, 'x'],
    [[10, 7, 8], { x: 2, y: 3, z: 5 }, 26, 'z'],
    [[9, 8, 7], { x: 2, y: 3, z: 5 }, 6, 'y'],
    [[6, 12, 12], { x: 1.5, y: 1.5, z: 4 }, 6, 'x'],
  ];
  cases.forEach(([shape, voxel, connectivity, axis], i) => {
    it(`equals scipy.sparse.csgraph.dijkstra from the ${axis} inlet face, ${connectivity}-connected, ${shape.join('x')}`, () => {
      const v = randomBinary(shape, 90 + i, 0.6, voxel);
      for (const label of [1, 0]) {
        const ref = reference<{ distance: (number | null)[] }>({ op: 'geodesic', volume: toNested(v), voxelSizeNm: voxel, label, connectivity, axis }).distance;
        const d = geodesicDistanceFromFaceNm(phaseMask(v.slices as Uint8Array[], label ? 'solid' : 'pore'), shape, voxel, axis, connectivity);
        ref.forEach((r, k) => {
          if (r === null) expect(d[k]).toBe(Infinity);
          else expect(Math.abs(d[k] - r)).toBeLessThan(1e-9);
        });
      }
    });
  });

  it('is 1 for straight channels along each axis and reports percolation', () => {
    // Solid rods along x, y and z through the middle; everything else pore.
    const v = makeVolume([9, 9, 9], (z, y, x) => ((y === 4 && z === 4) || (x === 4 && z === 4) || (x === 4 && y === 4) ? 1 : 0), { x: 2, y: 3, z: 5 });
    for (const connectivity of [6, 26] as const) {
      const t = geodesicTortuosity(v, { connectivity });
      for (const axis of ['x', 'y', 'z'] as const) {
        expect(t.solid[axis].percolates).toBe(true);
        expect(t.solid[axis].tortuosity).toBeCloseTo(1, 12);
        expect(t.solid[axis].reachedOutletFraction).toBe(1);
        // The pore lines that cross a rod must go round it.
        expect(t.pore[axis].tortuosity!).toBeGreaterThan(1);
      }
    }
    expect(geodesicTortuosity(v).solid.x.straightLengthNm).toBe(16);
  });

  it('gives the known detour for a zig-zag channel and none for a blocked one', () => {
    // A solid path along x that climbs one voxel in y halfway: 6-connected it is 8 steps in x plus 1 in y.
    const v = makeVolume([1 + 2, 4, 9], (z, y, x) => (z === 1 && ((y === 1 && x <= 4) || (y === 2 && x >= 4)) ? 1 : 0));
    const t6 = geodesicTortuosity(v, { connectivity: 6 });
    expect(t6.solid.x.tortuosity).toBeCloseTo(9 / 8, 12);
    const t26 = geodesicTortuosity(v, { connectivity: 26 });
    expect(t26.solid.x.tortuosity).toBeCloseTo((7 + Math.SQRT2) / 8, 12);
    expect(t6.solid.y.percolates).toBe(false);
    expect(t6.solid.y.tortuosity).toBeNull();
  });

  it('runs 64^3 in seconds and gives tortuosity >= 1', () => {
    const v = blobVolume([64, 64, 64], 5, 0.5, 1);
    const t = geodesicTortuosity(v);
    for (const axis of ['x', 'y', 'z'] as const) if (t.solid[axis].percolates) expect(t.solid[axis].tortuosity!).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    expect(() => geodesicTortuosity(makeVolume([1, 3, 3], () => 1))).toThrow(/at least 2 voxels/);
  });
});
