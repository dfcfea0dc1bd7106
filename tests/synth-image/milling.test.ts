import { describe, expect, it } from 'vitest';
import { gammaDeviate, gammaFromMeanSd, planMilling, defaultRulerGeometry, rulerBandSignal, rulerMarkerCentresNm, findMarkerCentresPx, rulerThicknessNm } from '../../src-main/synth/milling';
import { addDetectorNoise } from '../../src-main/synth/image';
import { seededRandom } from '../../src-main/synth/seeded-random';

describe('gamma slice thicknesses', () => {
  it('sample mean and sd match the request (10.16 +- 3.12 nm) over many draws', () => {
    const { shape, scale } = gammaFromMeanSd(10.16, 3.12);
    expect(shape).toBeCloseTo((10.16 / 3.12) ** 2, 10);
    const rng = seededRandom(9);
    const xs = Array.from({ length: 50_000 }, () => gammaDeviate(shape, scale, rng));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    expect(mean).toBeCloseTo(10.16, 1);
    expect(Math.abs(sd - 3.12)).toBeLessThan(0.05);
    // Skewness of a gamma is 2 / sqrt(k): the draws are gamma, not normal.
    const skew = xs.reduce((a, b) => a + ((b - mean) / sd) ** 3, 0) / xs.length;
    expect(skew).toBeCloseTo(2 / Math.sqrt(shape), 1);
  });

  it('shape < 1 still gives the right mean and sd', () => {
    const { shape, scale } = gammaFromMeanSd(2, 4);
    const rng = seededRandom(2);
    const xs = Array.from({ length: 50_000 }, () => gammaDeviate(shape, scale, rng));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeCloseTo(2, 1);
  });

  it('discretises to voxel multiples (>= 1 voxel), positions are cumulative sums, planes = z / voxel', () => {
    const plan = planMilling({ meanNm: 10.16, sdNm: 3.12, voxelZNm: 2.5, slices: 2000, seed: 4 });
    expect(plan.thicknessNm).toHaveLength(1999);
    for (const [i, t] of plan.thicknessNm.entries()) {
      expect(Number.isInteger(t / 2.5)).toBe(true);
      expect(t).toBeGreaterThanOrEqual(2.5);
      expect(Math.abs(t - Math.max(2.5, plan.drawnNm[i]))).toBeLessThanOrEqual(1.25 + 1e-9);
      expect(plan.zPositionsNm[i + 1]).toBeCloseTo(plan.zPositionsNm[i] + t, 9);
    }
    expect(plan.zPositionsNm[0]).toBe(0);
    expect(plan.planes).toEqual(plan.zPositionsNm.map((z) => Math.round(z / 2.5)));
    const mean = plan.thicknessNm.reduce((a, b) => a + b, 0) / plan.thicknessNm.length;
    expect(Math.abs(mean - 10.16)).toBeLessThan(0.3);
    expect(planMilling({ meanNm: 10.16, sdNm: 3.12, voxelZNm: 2.5, slices: 50, seed: 4 }).thicknessNm).toEqual(plan.thicknessNm.slice(0, 49));
  });

  it('refuses a non-positive sd', () => {
    expect(() => planMilling({ meanNm: 10, sdNm: 0, voxelZNm: 2.5, slices: 5, seed: 1 })).toThrow(/positive/);
  });
});

describe('ruler', () => {
  it('the thickness measured from the drawn markers (noisy) equals the true thickness within a voxel', () => {
    const plan = planMilling({ meanNm: 10.16, sdNm: 3.12, voxelZNm: 2.5, slices: 40, seed: 8 });
    // Wide enough that tan(angle) = 1.25: one pixel of error in a gap is 1.6 nm of thickness.
    const columns = 512;
    const rows = 20;
    const g = defaultRulerGeometry(columns, 2.5, plan.zPositionsNm[39], rows);
    const rng = seededRandom(1);
    // An independent measurement: per slice, the mean column index of the bright pixels of each
    // of the four runs in the row-averaged profile (no sub-pixel weighting).
    const bands: Float32Array[] = [];
    const centres = plan.zPositionsNm.map((z) => {
      const band = addDetectorNoise(Float32Array.from(rulerBandSignal(g, z, 2), (v) => 0.1 + 1.6 * v), { electronsPerPixel: 400, gaussianVariance: 0.001 }, rng);
      bands.push(band);
      const profile = Array.from({ length: columns }, (_, x) => {
        let s = 0;
        for (let y = 0; y < rows - 1; y++) s += band[y * columns + x];
        return s / (rows - 1);
      });
      const th = (Math.min(...profile) + Math.max(...profile)) / 2;
      const runs: number[][] = [];
      profile.forEach((v, x) => {
        if (v < th) return;
        if (runs.length && runs[runs.length - 1].at(-1) === x - 1) runs[runs.length - 1].push(x);
        else runs.push([x]);
      });
      expect(runs).toHaveLength(4);
      return runs.map((r) => (r.reduce((a, b) => a + b, 0) / r.length + 0.5) * 2.5);
    });
    const tan = Math.tan((g.angleDeg * Math.PI) / 180);
    for (let i = 0; i < 39; i++) {
      const gap0 = centres[i][2] - centres[i][1];
      const gap1 = centres[i + 1][2] - centres[i + 1][1];
      expect(Math.abs(((gap0 - gap1) * tan) / 2 - plan.thicknessNm[i])).toBeLessThanOrEqual(2.5);
      // The parallel markers stay put.
      expect(Math.abs(centres[i + 1][0] - centres[i][0])).toBeLessThan(2.5);
    }
    // The app's own sub-pixel measurement (used for thickness-ruler.csv) is tighter.
    const measured = rulerThicknessNm(g, bands.map((b) => findMarkerCentresPx(b, columns, rows)));
    for (let i = 0; i < 39; i++) expect(Math.abs(measured[i] - plan.thicknessNm[i])).toBeLessThan(1);
    expect(rulerMarkerCentresNm(g, 0)[1]).toBeCloseTo(0.2 * columns * 2.5, 9);
  });
});
