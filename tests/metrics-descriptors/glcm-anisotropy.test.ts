import { describe, expect, it } from 'vitest';
import type { Shape3, Volume } from '../../src-shared/volume';
import { cooccurrenceCounts, glcmAnisotropy } from '../../src-main/metrics/descriptors/glcm-anisotropy';
import { makeVolume, random, randomBinary, reference, toNested } from './volumes';

type RefAxis = { contrast: number; homogeneity: number; energy: number; ASM: number; entropy: number; counts: number[] };

function greyVolume(shape: Shape3, seed: number, levels: number): Volume {
  const rand = random(seed);
  // Smooth along x more than along z, so the directions differ.
  return makeVolume(shape, (z, y, x) => Math.min(levels - 1, Math.floor(levels * (0.5 + 0.25 * Math.sin(x / 3) + 0.15 * Math.sin(z * 1.7) + 0.1 * (rand() - 0.5)))));
}

describe('GLCM features along x, y, z and the 004 anisotropy index', () => {
  const cases: [string, Volume, number, number, boolean][] = [
    ['binary 8x9x10, d = 1', randomBinary([8, 9, 10], 120, 0.4), 2, 1, false],
    ['grey 16 levels 9x10x11, d = 2, symmetric', greyVolume([9, 10, 11], 121, 16), 16, 2, true],
    ['grey 64 levels 12x7x9, d = 3', greyVolume([12, 7, 9], 122, 64), 64, 3, false],
  ];
  for (const [name, v, levels, d, symmetric] of cases) {
    it(`equals skimage graycomatrix / graycoprops summed over planes: ${name}`, () => {
      const ref = reference<Record<'x' | 'y' | 'z', RefAxis>>({ op: 'glcm', volume: toNested(v), levels, distance: d, symmetric });
      const g = glcmAnisotropy(v, { levels, distanceVoxels: d, symmetric });
      for (const axis of ['x', 'y', 'z'] as const) {
        expect(Array.from(cooccurrenceCounts(v, axis, levels, d, symmetric))).toEqual(ref[axis].counts);
        const f = g.features[axis];
        expect(Math.abs(f.contrast - ref[axis].contrast)).toBeLessThan(1e-9);
        expect(Math.abs(f.homogeneity - ref[axis].homogeneity)).toBeLessThan(1e-9);
        expect(Math.abs(f.energy - ref[axis].energy)).toBeLessThan(1e-9);
        expect(Math.abs(f.angularSecondMoment - ref[axis].ASM)).toBeLessThan(1e-9);
        expect(Math.abs(f.entropy - ref[axis].entropy)).toBeLessThan(1e-9);
      }
      const sd = (k: 'contrast' | 'homogeneity' | 'ASM' | 'entropy') => {
        const xs = [ref.x[k], ref.y[k], ref.z[k]];
        const m = (xs[0] + xs[1] + xs[2]) / 3;
        return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / 2);
      };
      const ai = Math.sqrt(sd('contrast') ** 2 + sd('homogeneity') ** 2 + sd('ASM') ** 2 + sd('entropy') ** 2);
      expect(Math.abs(g.anisotropyIndex - ai)).toBeLessThan(1e-9);
      expect(JSON.parse(JSON.stringify(g))).toEqual(g);
    });
  }

  it('is 0 for a structure symmetric under axis permutation and large for layers', () => {
    const f = [0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1];
    const sym = glcmAnisotropy(makeVolume([12, 12, 12], (z, y, x) => (f[x] + f[y] + f[z] >= 2 ? 1 : 0)));
    expect(sym.anisotropyIndex).toBeLessThan(1e-12);
    const layers = glcmAnisotropy(makeVolume([12, 12, 12], (z) => (z % 2)));
    // Along z every pair differs (contrast 1), along x and y none does.
    expect(layers.features.z.contrast).toBe(1);
    expect(layers.features.x.contrast).toBe(0);
    expect(layers.relativeSpread.contrast).toBeCloseTo(Math.sqrt(3), 12);
  });

  it('refuses values at or above levels, float volumes and offsets without pairs', () => {
    const v = greyVolume([4, 5, 6], 1, 16);
    expect(() => glcmAnisotropy(v, { levels: 4 })).toThrow(/below levels/);
    expect(() => glcmAnisotropy({ ...v, dtype: 'float32' })).toThrow(/quantise/);
    expect(() => glcmAnisotropy(v, { distanceVoxels: 4 })).toThrow(/offset/);
  });
});
