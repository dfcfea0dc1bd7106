import { describe, expect, it } from 'vitest';
import type { Shape3, VoxelSizeNm } from '../../src-shared/volume';
import { squaredDistanceToBackgroundNm2 } from '../../src-main/metrics/descriptors/distance-transform';
import { localThickness, localThicknessMapNm } from '../../src-main/metrics/descriptors/local-thickness';
import { phaseMask } from '../../src-main/metrics/descriptors/phase';
import { blobVolume, makeVolume, randomBinary, reference, toNested } from './volumes';

const masks = (v: ReturnType<typeof makeVolume>) => phaseMask(v.slices as Uint8Array[], 'solid');

/** The definition, voxel by voxel: max over centres c of 2 r(c) with |p - c| < r(c), r from a brute-force EDT. */
function bruteLocalThickness(mask: Uint8Array, shape: Shape3, h: VoxelSizeNm): Float64Array {
  const [nz, ny, nx] = shape;
  const pts: [number, number, number][] = [];
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) pts.push([z, y, x]);
  const dist2 = (a: number[], b: number[]) => {
    const ez = (a[0] - b[0]) * h.z, ey = (a[1] - b[1]) * h.y, ex = (a[2] - b[2]) * h.x;
    return ez * ez + ey * ey + ex * ex;
  };
  const r2 = pts.map((p, i) => (mask[i] ? Math.min(...pts.filter((_, j) => !mask[j]).map((q) => dist2(p, q))) : 0));
  return Float64Array.from(pts, (p, i) => {
    if (!mask[i]) return 0;
    let best = 0;
    pts.forEach((c, j) => { if (mask[j] && dist2(p, c) < r2[j]) best = Math.max(best, 2 * Math.sqrt(r2[j])); });
    return best;
  });
}

describe('exact Euclidean distance transform (Felzenszwalb-Huttenlocher)', () => {
  const cases: [Shape3, VoxelSizeNm, number][] = [
    [[9, 10, 11], { x: 1, y: 1, z: 1 }, 0.8],
    [[12, 7, 9], { x: 2.5, y: 3.1, z: 7.3 }, 0.9],
    [[1, 15, 13], { x: 0.7, y: 1.9, z: 4 }, 0.85],
    [[16, 16, 16], { x: 5, y: 5, z: 12 }, 0.97],
  ];
  cases.forEach(([shape, voxel, solid], i) => {
    it(`equals scipy distance_transform_edt(sampling) to 1e-9, ${shape.join('x')} voxel ${voxel.x}x${voxel.y}x${voxel.z}`, () => {
      const v = randomBinary(shape, 60 + i, solid, voxel);
      const ref = reference<{ distance: number[] }>({ op: 'edt', volume: toNested(v), voxelSizeNm: voxel }).distance;
      const d2 = squaredDistanceToBackgroundNm2(masks(v), shape, voxel);
      let worst = 0;
      ref.forEach((d, k) => { worst = Math.max(worst, Math.abs(Math.sqrt(d2[k]) - d)); });
      expect(worst).toBeLessThan(1e-9);
    });
  });

  it('is Infinity everywhere when there is no background', () => {
    expect(Array.from(squaredDistanceToBackgroundNm2(new Uint8Array(8).fill(1), [2, 2, 2], { x: 1, y: 1, z: 1 }))).toEqual(Array(8).fill(Infinity));
  });
});

describe('local thickness (Hildebrand-Rüegsegger, balls on voxel centres)', () => {
  const cases: [Shape3, VoxelSizeNm][] = [
    [[8, 9, 10], { x: 1, y: 1, z: 1 }],
    [[7, 8, 9], { x: 1, y: 1.5, z: 2 }],
    [[10, 10, 6], { x: 2, y: 2, z: 0.5 }],
  ];
  cases.forEach(([shape, voxel], i) => {
    it(`equals the brute-force definition on a random ${shape.join('x')} structure, voxel ${voxel.x}x${voxel.y}x${voxel.z}`, () => {
      const v = blobVolume(shape, 80 + i, 0.55, 1, voxel);
      for (const phase of ['solid', 'pore'] as const) {
        const mask = phaseMask(v.slices as Uint8Array[], phase);
        const fast = localThicknessMapNm(mask, shape, voxel)!;
        const brute = bruteLocalThickness(mask, shape, voxel);
        for (let k = 0; k < brute.length; k++) expect(fast[k]).toBeCloseTo(brute[k], 12);
      }
    });
  });

  it('gives the slab width for a slab of even width (balls centred on voxels: w voxels -> w h)', () => {
    // Solid z = 2..7 (6 voxels) with pore on both sides: the central voxels are 3 voxels (z = 3 * 4 nm) from pore.
    const v = makeVolume([10, 9, 9], (z) => (z >= 2 && z < 8 ? 1 : 0), { x: 1, y: 1, z: 4 });
    const t = localThickness(v, { binWidthNm: 1 });
    expect(t.solid!.minNm).toBe(24);
    expect(t.solid!.maxNm).toBe(24);
    expect(t.solid!.sdNm).toBe(0);
    expect(t.solid!.counts[24]).toBe(6 * 81);
    // Pores: 2 voxels below, 2 above, open to the faces of the volume: the ball only sees the solid side.
    expect(t.pore!.maxNm).toBe(16);
  });

  it('gives about the diameter for a solid cylinder of radius 8 voxels', () => {
    const R = 8, n = 21, c = 10;
    const v = makeVolume([6, n, n], (_z, y, x) => ((x - c) ** 2 + (y - c) ** 2 <= R * R ? 1 : 0), { x: 2, y: 2, z: 2 });
    const t = localThickness(v);
    // The central ball reaches the nearest pore voxel, at (4, 7) voxels from the axis: radius sqrt(65) voxels.
    expect(t.solid!.maxNm).toBeCloseTo(2 * Math.sqrt(65) * 2, 12);
    expect(t.solid!.meanNm).toBeGreaterThan(0.9 * 2 * R * 2);
    expect(t.solid!.meanNm).toBeLessThanOrEqual(2 * (R + 1) * 2);
  });

  it('runs a 64^3 blob structure in about a second and returns JSON', () => {
    const v = blobVolume([64, 64, 64], 7, 0.4, 1, { x: 3, y: 3, z: 3 });
    const t0 = performance.now();
    const progress: number[] = [];
    const t = localThickness(v, { onProgress: (f) => progress.push(f) });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(10000);
    expect(t.solid!.counts.reduce((a, b) => a + b, 0)).toBe(t.solid!.voxelCount);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    expect(progress.at(-1)).toBe(1);
    console.log(`local thickness 64^3: ${ms.toFixed(0)} ms, solid mean ${t.solid!.meanNm.toFixed(2)} nm`);
  });

  it('reports null for a phase when the other phase is absent, and cancels', () => {
    const all = makeVolume([3, 3, 3], () => 1);
    expect(localThickness(all)).toEqual({ solid: null, pore: null, binWidthNm: 1 });
    expect(() => localThickness(randomBinary([5, 5, 5], 1), { binWidthNm: 1e-9 })).toThrow(/bin width/);
    expect(() => localThickness(randomBinary([5, 5, 5], 1), { binWidthNm: 0 })).toThrow(/bin width/);
    const ctl = new AbortController();
    ctl.abort();
    expect(() => localThickness(randomBinary([5, 5, 5], 1), { signal: ctl.signal })).toThrow(/cancelled/);
  });
});
