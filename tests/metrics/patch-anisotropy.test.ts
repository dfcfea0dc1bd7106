import { describe, expect, it } from 'vitest';
import { anisotropyMetrics } from '../../src-main/metrics/anisotropy-metrics';
import { patchAnisotropyMetrics } from '../../src-main/metrics/patch-anisotropy';
import { at, labelVolume, randomVolume } from './volumes';

describe('patch-wise anisotropy metrics', () => {
  it('measures each whole patch as a volume of its own and reports mean and sample sd', () => {
    const v = randomVolume([6, 20, 25], 77, 0.6);
    const s = patchAnisotropyMetrics(v, { patchShape: [6, 10, 12], rMaxVoxels: 3 });
    // 2 x 2 whole patches; the last column of x (25 = 2 * 12 + 1) is left out.
    expect(s.patches.map((p) => p.origin)).toEqual([[0, 0, 0], [0, 0, 12], [0, 10, 0], [0, 10, 12]]);
    for (const p of s.patches) {
      const [z0, y0, x0] = p.origin;
      const patch = labelVolume([6, 10, 12], (z, y, x) => at(v, z0 + z, y0 + y, x0 + x));
      const m = anisotropyMetrics(patch, { rMaxVoxels: 3 });
      expect([p.eTpcf, p.eLpf, p.eD, p.solidFraction]).toEqual([m.eTpcf, m.eLpf, m.eD, m.solidFraction]);
    }
    const e = s.patches.map((p) => p.eTpcf);
    const mean = (e[0] + e[1] + e[2] + e[3]) / 4;
    const sd = Math.sqrt(e.reduce((a, x) => a + (x - mean) ** 2, 0) / 3);
    expect(s.eTpcf.mean).toBeCloseTo(mean, 14);
    expect(s.eTpcf.sd).toBeCloseTo(sd, 14);
  });

  it('skips patches without solid and refuses a patch larger than the volume', () => {
    const v = labelVolume([4, 8, 8], (_z, _y, x) => (x < 4 && x % 2 === 0 ? 1 : 0));
    const s = patchAnisotropyMetrics(v, { patchShape: [4, 8, 4] });
    expect(s.patches).toHaveLength(1);
    expect(s.skippedWithoutSolid).toBe(1);
    expect(s.eD.sd).toBe(0);
    expect(() => patchAnisotropyMetrics(v, { patchShape: [5, 8, 4] })).toThrow(expect.objectContaining({ tag: 'invalid_input' }));
    expect(() => patchAnisotropyMetrics(v, { patchShape: [1, 8, 4] })).toThrow(expect.objectContaining({ tag: 'invalid_input' }));
  });
});
