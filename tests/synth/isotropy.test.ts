// Leveled-wave structures are statistically isotropic; the anisotropic check
// structure and stretchZ are not, along z only. S2 is measured here by brute force.
import { describe, expect, it } from 'vitest';
import { leveledWaveStructure } from '../../src-main/synth/leveled-wave-structure';
import { leveledWaveSet } from '../../src-main/synth/leveled-wave-field';
import { anisotropicCheckStructure, anisotropicLayerCentresNm } from '../../src-main/synth/anisotropic-check';
import { stretchZ } from '../../src-main/synth/stretch-z';
import type { Volume } from '../../src-shared/volume';
import { countSolid, relativeL2, twoPointAlongAxis } from './synth-test-utils';

function s2xyz(v: Volume, maxLag: number) {
  const [x, y, z] = (['x', 'y', 'z'] as const).map((a) => twoPointAlongAxis(v, a, maxLag));
  return { xy: relativeL2(x, y), xz: relativeL2(x, z), yz: relativeL2(y, z), x, z };
}

describe('isotropy of the synthetic structures', () => {
  // 96^3 voxels, wavelength 16 voxels: finite-volume noise alone gives e_L2 up to ~0.09
  // between axes (seeds 1-8 measured); stretching z by 1.5 gives 0.17-0.26.
  const iso = [2, 5].map((seed) => leveledWaveStructure({ shape: [96, 96, 96], voxelSizeNm: 1, wavelengthNm: 16, waves: 100, seed, solidFraction: 0.35 }));

  it('leveled-wave: S2 along x, y and z agree', () => {
    for (const v of iso) {
      const e = s2xyz(v, 24);
      expect(e.xy).toBeLessThan(0.1);
      expect(e.xz).toBeLessThan(0.1);
      expect(e.yz).toBeLessThan(0.1);
    }
  });

  it('stretchZ(…, 1.5): x and y still agree, z clearly different and correlated further', () => {
    for (const v of iso) {
      const s = stretchZ(v, 1.5);
      expect(s.shape).toEqual([144, 96, 96]);
      const e = s2xyz(s, 24);
      expect(e.xy).toBeLessThan(0.1);
      expect(e.xz).toBeGreaterThan(0.15);
      expect(e.yz).toBeGreaterThan(0.15);
      // Longer features along z: S2 decays more slowly.
      expect(e.z[6]).toBeGreaterThan(e.x[6]);
    }
  });

  it('stratified wave directions cover the sphere evenly (second moment ~ I / 3)', () => {
    for (const directions of ['stratified', 'independent'] as const) {
      const { wavevectorsPerNm: k } = leveledWaveSet({ wavelengthNm: 2 * Math.PI, waves: 100, seed: 4, directions });
      const m = [0, 0, 0];
      for (let w = 0; w < 100; w++) for (let a = 0; a < 3; a++) m[a] += k[3 * w + a] ** 2 / 100;
      const worst = Math.max(...m.map((x) => Math.abs(x - 1 / 3)));
      if (directions === 'stratified') expect(worst).toBeLessThan(0.01);
      else expect(worst).toBeLessThan(0.15);
    }
  });

  it('anisotropic check structure: x and y identical, z different, layer spacing grows', () => {
    const p = { shape: [120, 64, 64] as const, voxelSizeNm: 2.5, radiusNm: 10, zStretch: 2, firstLayerSpacingNm: 50, layerSpacingGrowth: 1.2 };
    const v = anisotropicCheckStructure(p);
    const e = s2xyz(v, 20);
    expect(e.xy).toBeLessThan(1e-9);
    expect(e.xz).toBeGreaterThan(0.2);
    const z = anisotropicLayerCentresNm(p);
    expect(z[0]).toBe(20);
    expect(z[1] - z[0]).toBeCloseTo(50, 9);
    expect(z[2] - z[1]).toBeCloseTo(60, 9);
    // A spheroid centre is solid, with solid 19 nm above and below it, but not 19 nm beside it.
    const at = (zNm: number, yNm: number, xNm: number) => v.slices[Math.floor(zNm / 2.5)][Math.floor(yNm / 2.5) * 64 + Math.floor(xNm / 2.5)];
    expect(at(z[1], 15, 15)).toBe(1);
    expect(at(z[1] + 19, 15, 15)).toBe(1);
    expect(at(z[1] - 19, 15, 15)).toBe(1);
    expect(at(z[1], 15, 15 + 11)).toBe(0);
    // The first four layers (z <= 222 nm, slices 0-103) hold 4 x 5 x 5 whole, separate spheroids
    // of 4/3 pi 10^2 20 nm^3 = 536 voxels each.
    const top = countSolid({ ...v, slices: v.slices.slice(0, 104) });
    expect(Math.abs(top / 100 / ((4 / 3) * Math.PI * 10 * 10 * 20 / 2.5 ** 3) - 1)).toBeLessThan(0.05);
  });
});
