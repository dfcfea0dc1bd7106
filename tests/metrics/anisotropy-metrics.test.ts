import { describe, expect, it } from 'vitest';
import type { Shape3, Volume } from '../../src-shared/volume';
import { anisotropyMetrics } from '../../src-main/metrics/anisotropy-metrics';
import { relativeL2Difference } from '../../src-main/metrics/relative-l2-difference';
import { at, bruteDiameter, bruteLinealPath, bruteRelativeL2, bruteTwoPoint, expectClose, labelVolume, randomVolume } from './volumes';

function transposeXY(v: Volume): Volume {
  const [nz, ny, nx] = v.shape;
  return labelVolume([nz, nx, ny], (z, y, x) => at(v, z, x, y), v.voxelSizeNm.x);
}

describe('anisotropy metrics e_TPCF, e_LPF, e_D', () => {
  const shapes: Shape3[] = [[9, 11, 13], [6, 6, 6], [12, 5, 8], [2, 9, 7]];
  shapes.forEach((shape, i) => {
    it(`equal the plain formulas on brute-force curves, ${shape.join('x')} (z,y,x), voxel 2.5 nm`, () => {
      const v = randomVolume(shape, 300 + i, 0.55, 2.5);
      const rMax = Math.min(...shape) - 1;
      const m = anisotropyMetrics(v, { rMaxVoxels: rMax });
      const s2 = { x: bruteTwoPoint(v, 'x', rMax), y: bruteTwoPoint(v, 'y', rMax), z: bruteTwoPoint(v, 'z', rMax) };
      const lp = { x: bruteLinealPath(v, 'x', rMax), y: bruteLinealPath(v, 'y', rMax), z: bruteLinealPath(v, 'z', rMax) };
      for (const a of ['x', 'y', 'z'] as const) {
        expectClose(m.twoPointCorrelation[a].values, s2[a]);
        expectClose(m.linealPath[a].values, lp[a]);
        expectClose(m.linealPath[a].rNm, lp[a].map((_, r) => r * 2.5));
        // A segment of 1 step is a pair at distance 1: L(0) = S2(0) = phi, L(1) = S2(1).
        expectClose(m.linealPath[a].values.slice(0, 2), m.twoPointCorrelation[a].values.slice(0, 2));
      }
      const eTpcf = (bruteRelativeL2(s2.x, s2.z) + bruteRelativeL2(s2.y, s2.z)) / 2;
      const eLpf = (bruteRelativeL2(lp.x, lp.z) + bruteRelativeL2(lp.y, lp.z)) / 2;
      const D = { x: bruteDiameter(lp.x, 2.5), y: bruteDiameter(lp.y, 2.5), z: bruteDiameter(lp.z, 2.5) };
      const Dxy = (D.x + D.y) / 2, Dxz = (D.x + D.z) / 2, Dyz = (D.y + D.z) / 2;
      const eD = (Math.abs(Dxz - Dxy) + Math.abs(Dyz - Dxy)) / (2 * Dxy);
      expectClose([m.eTpcf, m.eLpf, m.eD], [eTpcf, eLpf, eD]);
      expectClose(
        [m.ligamentDiameterNm.x, m.ligamentDiameterNm.y, m.ligamentDiameterNm.z, m.ligamentDiameterNm.xy, m.ligamentDiameterNm.xz, m.ligamentDiameterNm.yz],
        [D.x, D.y, D.z, Dxy, Dxz, Dyz],
      );
      expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    });
  });

  it('default r max is a quarter of the shortest side', () => {
    const m = anisotropyMetrics(randomVolume([20, 31, 40], 1, 0.5));
    expect(m.rMaxVoxels).toBe(5);
    expect(m.twoPointCorrelation.z.values).toHaveLength(6);
  });

  it('is 0 for an all-solid volume (S2 = L = 1) and for a structure symmetric under axis permutation', () => {
    const solid = anisotropyMetrics(labelVolume([6, 7, 8], () => 1));
    expect(solid.twoPointCorrelation.y.values).toEqual(Array(2).fill(1));
    expect(solid.linealPath.z.values).toEqual(Array(2).fill(1));
    expect([solid.eTpcf, solid.eLpf, solid.eD]).toEqual([0, 0, 0]);
    const f = [0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1];
    const sym = anisotropyMetrics(labelVolume([12, 12, 12], (z, y, x) => (f[x] + f[y] + f[z] >= 2 ? 1 : 0)), { rMaxVoxels: 8 });
    expect(sym.eTpcf).toBe(0);
    expect(sym.eLpf).toBe(0);
    expect(sym.eD).toBe(0);
  });

  it('swaps the x and y curves when x and y are swapped', () => {
    const v = randomVolume([7, 9, 12], 42, 0.6);
    const a = anisotropyMetrics(v, { rMaxVoxels: 6 });
    const b = anisotropyMetrics(transposeXY(v), { rMaxVoxels: 6 });
    expect(b.twoPointCorrelation.x.values).toEqual(a.twoPointCorrelation.y.values);
    expect(b.twoPointCorrelation.y.values).toEqual(a.twoPointCorrelation.x.values);
    expect(b.twoPointCorrelation.z.values).toEqual(a.twoPointCorrelation.z.values);
    expect(b.linealPath.x.values).toEqual(a.linealPath.y.values);
    expect(b.linealPath.y.values).toEqual(a.linealPath.x.values);
    expect(b.eTpcf).toBeCloseTo(a.eTpcf, 14);
    expect(b.eD).toBeCloseTo(a.eD, 14);
  });

  it('sees columns along z: D_xz, D_yz >> D_xy and a large e_D, e_LPF', () => {
    // Square columns 4 voxels wide every 8 voxels in x and y, through the whole depth.
    const v = labelVolume([32, 32, 32], (_z, y, x) => (x % 8 < 4 && y % 8 < 4 ? 1 : 0), 5);
    const m = anisotropyMetrics(v, { rMaxVoxels: 16 });
    expect(m.linealPath.z.values).toEqual(Array(17).fill(0.25));
    const d = m.ligamentDiameterNm;
    expect(d.x).toBeCloseTo(d.y, 12);
    expect(d.x).toBeGreaterThan(15);
    expect(d.x).toBeLessThan(25); // chords of 4 voxels = 20 nm
    expect(d.z).toBeCloseTo(2 * 16 * 5, 9); // L_z constant: area = phi * rMax
    expect(d.xz).toBeGreaterThan(2 * d.xy);
    expect(d.yz).toBeGreaterThan(2 * d.xy);
    expect(m.eD).toBeGreaterThan(1);
    expect(m.eLpf).toBeGreaterThan(0.5);
  });

  it('e_L2 is symmetric, 0 for equal curves, 2 against a zero curve', () => {
    expect(relativeL2Difference([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(relativeL2Difference([1, 0.5], [0, 0])).toBe(2);
    expect(relativeL2Difference([0, 0], [0, 0])).toBe(0);
    expect(relativeL2Difference([1, 0.3, 0.1], [0.8, 0.5, 0])).toBeCloseTo(relativeL2Difference([0.8, 0.5, 0], [1, 0.3, 0.1]), 15);
    expectClose([relativeL2Difference([1, 0.3, 0.1], [0.8, 0.5, 0])], [bruteRelativeL2([1, 0.3, 0.1], [0.8, 0.5, 0])]);
  });

  it('refuses anisotropic voxels (> 1 %) with invalid_input and a hint to resample; accepts 0.5 %', () => {
    const v = randomVolume([8, 8, 8], 5, 0.5);
    v.voxelSizeNm = { x: 2.6, y: 2.6, z: 10 };
    expect(() => anisotropyMetrics(v)).toThrow(
      expect.objectContaining({ tag: 'invalid_input', message: expect.stringMatching(/resample.*isotropic.*2\.6 x 2\.6 x 10 nm|2\.6 x 2\.6 x 10 nm.*resample/) }),
    );
    v.voxelSizeNm = { x: 5, y: 5, z: 5.06 };
    expect(() => anisotropyMetrics(v)).toThrow(expect.objectContaining({ tag: 'invalid_input' }));
    v.voxelSizeNm = { x: 5, y: 5.025, z: 5 };
    expect(anisotropyMetrics(v).linealPath.y.rNm[1]).toBe(5.025);
  });

  it('refuses a volume without solid, a bad r max, and reports progress', () => {
    expect(() => anisotropyMetrics(labelVolume([4, 4, 4], () => 0))).toThrow(expect.objectContaining({ tag: 'invalid_input' }));
    expect(() => anisotropyMetrics(randomVolume([4, 9, 9], 1), { rMaxVoxels: 4 })).toThrow(expect.objectContaining({ tag: 'invalid_input' }));
    expect(() => anisotropyMetrics(randomVolume([4, 9, 9], 1), { rMaxVoxels: 0 })).toThrow(expect.objectContaining({ tag: 'invalid_input' }));
    // A single slice has no z curve to compare: refused rather than a trivial 0.
    expect(() => anisotropyMetrics(randomVolume([1, 9, 9], 1))).toThrow(expect.objectContaining({ tag: 'invalid_input', message: expect.stringMatching(/at least 2 voxels/) }));
    expect(anisotropyMetrics(randomVolume([3, 9, 9], 1, 0.7)).rMaxVoxels).toBe(1);
    const seen: number[] = [];
    anisotropyMetrics(randomVolume([4, 9, 9], 1), { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    const ac = new AbortController();
    ac.abort();
    expect(() => anisotropyMetrics(randomVolume([4, 9, 9], 1), { signal: ac.signal })).toThrow(expect.objectContaining({ tag: 'cancelled' }));
  });
});
