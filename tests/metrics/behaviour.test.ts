// The isotropy metrics behave as the seeds say: small on leveled-wave truths,
// large on the anisotropic check structure (x and y equal, z apart), and
// clearly raised when an isotropic structure is stretched along z by 1.5.
import { expect, it } from 'vitest';
import { anisotropyMetrics } from '../../src-main/metrics';
import { anisotropicCheckStructure, leveledWaveStructure, stretchZ } from '../../src-main/synth';
import { relativeL2Difference } from '../../src-main/metrics';

const lw = (seed: number) => leveledWaveStructure({ shape: [64, 64, 64], voxelSizeNm: 2.5, wavelengthNm: 40, waves: 100, seed, solidFraction: 0.3 });

it('leveled-wave truths: small isotropy errors; stretching along z by 1.5 raises all three', () => {
  for (const seed of [1, 2, 3]) {
    const v = lw(seed);
    const iso = anisotropyMetrics(v, { rMaxVoxels: 16 });
    expect(iso.eTpcf).toBeLessThan(0.1);
    expect(iso.eLpf).toBeLessThan(0.1);
    expect(iso.eD).toBeLessThan(0.06);
    const stretched = anisotropyMetrics(stretchZ(v, 1.5), { rMaxVoxels: 16 });
    expect(stretched.eTpcf).toBeGreaterThan(iso.eTpcf + 0.05);
    expect(stretched.eLpf).toBeGreaterThan(iso.eLpf + 0.05);
    expect(stretched.eD).toBeGreaterThan(iso.eD + 0.1);
    // Stretching along z leaves x and y alike.
    expect(relativeL2Difference(stretched.twoPointCorrelation.x.values, stretched.twoPointCorrelation.y.values)).toBeLessThan(0.1);
  }
});

it('the anisotropic check structure: x and y curves equal, z far from them, errors far above the truths', () => {
  const check = anisotropicCheckStructure({ shape: [96, 64, 64], voxelSizeNm: 2.5 });
  const m = anisotropyMetrics(check, { rMaxVoxels: 16 });
  expect(relativeL2Difference(m.twoPointCorrelation.x.values, m.twoPointCorrelation.y.values)).toBeLessThan(1e-9);
  expect(relativeL2Difference(m.linealPath.x.values, m.linealPath.y.values)).toBeLessThan(1e-9);
  const truth = anisotropyMetrics(lw(1), { rMaxVoxels: 16 });
  expect(m.eTpcf).toBeGreaterThan(3 * truth.eTpcf);
  expect(m.eLpf).toBeGreaterThan(3 * truth.eLpf);
  expect(m.eD).toBeGreaterThan(3 * truth.eD);
});
