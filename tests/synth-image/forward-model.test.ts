import { describe, expect, it } from 'vitest';
import { leveledWaveStructure } from '../../src-main/synth';
import { backscatterCoefficient, kanayaOkayamaRangeNm, GOLD, EPOXY, simulateStacks, addDetectorNoise, gaussianBlur } from '../../src-main/synth/image';
import { seededRandom } from '../../src-main/synth/seeded-random';
import { compareToTruth } from '../../src-main/metrics';

/** Global Otsu on 8-bit values (independent of the app: maximises between-class variance). */
function otsu(slices: Uint8Array[]): number {
  const h = new Float64Array(256);
  let n = 0;
  for (const a of slices) for (const x of a) (h[x]++, n++);
  let total = 0;
  for (let i = 0; i < 256; i++) total += i * h[i];
  let wb = 0;
  let sb = 0;
  let best = -1;
  let th = 0;
  for (let t = 0; t < 256; t++) {
    wb += h[t];
    sb += t * h[t];
    const wf = n - wb;
    if (wb === 0 || wf === 0) continue;
    const between = wb * wf * (sb / wb - (total - sb) / wf) ** 2;
    if (between > best) (best = between), (th = t);
  }
  return th;
}

describe('BSE coefficient and range', () => {
  it('follows 003 eq. 2.2-2.4 (Hunger-Kuechler) with hand-computed values', () => {
    // Gold: ln 79 = 4.36945; C = 0.1904 - 0.97701 + 2.46670 - 1.24378 = 0.43631; m = 0.1382 - 0.9211 / 8.88819 = 0.03457.
    expect(backscatterCoefficient(79, 1)).toBeCloseTo(0.4363, 3);
    expect(backscatterCoefficient(79, 2)).toBeCloseTo(0.4363 * 2 ** 0.03457, 3);
    // Carbon-like epoxy: eta falls with energy (m < 0), and is far below gold.
    expect(backscatterCoefficient(6, 4)).toBeLessThan(backscatterCoefficient(6, 1));
    expect(backscatterCoefficient(6, 2)).toBeLessThan(0.3 * backscatterCoefficient(79, 2));
    expect(backscatterCoefficient(0, 2)).toBe(0);
  });

  it('Kanaya-Okayama range grows as E^1.67 (gold ~18 nm at 2 keV)', () => {
    expect(kanayaOkayamaRangeNm(GOLD, 2)).toBeCloseTo(18.4, 0);
    expect(kanayaOkayamaRangeNm(EPOXY, 4) / kanayaOkayamaRangeNm(EPOXY, 2)).toBeCloseTo(2 ** 1.67, 6);
  });
});

describe('shine-through', () => {
  const n = 80;
  const structure = leveledWaveStructure({
    shape: [n + 110, n, n],
    voxelSizeNm: 2.5,
    wavelengthNm: 110,
    waves: 100,
    seed: 11,
    solidFraction: 0.3,
    fine: { wavelengthNm: 15, waves: 100, solidFraction: 0.7 },
  });
  const planes = Array.from({ length: 24 }, (_, i) => i * 3);
  const truth = { dtype: 'uint8' as const, voxelSizeNm: structure.voxelSizeNm, shape: [planes.length, n, n] as const, slices: planes.map((p) => structure.slices[p] as Uint8Array) };
  const beams = [1, 2, 4].flatMap((energyKeV) => (['TLD', 'ICD'] as const).map((detector) => ({ energyKeV, detector })));
  const stacks = simulateStacks(structure, planes, beams, { seed: 5 });
  const mp = (i: number) => {
    const slices = stacks[i].slices as Uint8Array[];
    const th = otsu(slices);
    const seg = { ...truth, slices: slices.map((a) => Uint8Array.from(a, (v) => (v > th ? 1 : 0))) };
    return compareToTruth(seg, truth).misplacedPercent;
  };
  const result = Object.fromEntries(beams.map((b, i) => [`${b.energyKeV}kV ${b.detector}`, mp(i)]));

  it('Otsu over-segments more at higher kV with the TLD (seeds: k-means MP 4.5 / 9.5 / 18.6 %)', () => {
    expect(result['1kV TLD']).toBeLessThan(result['2kV TLD'] - 2);
    expect(result['2kV TLD']).toBeLessThan(result['4kV TLD'] - 2);
    expect(result['1kV TLD']).toBeGreaterThan(2);
    expect(result['4kV TLD']).toBeGreaterThan(10);
    expect(result['4kV TLD']).toBeLessThan(35);
  });

  it('the ICD shows less shine-through than the TLD at every kV', () => {
    for (const kV of [1, 2, 4]) expect(result[`${kV}kV ICD`]).toBeLessThan(result[`${kV}kV TLD`]);
    expect(result['4kV ICD']).toBeLessThan(0.5 * result['4kV TLD']);
  });

  it('pore pixels with solid close below are brighter than those with solid far below (4 kV TLD)', () => {
    // Same structure, signal without noise: pore pixels right above solid vs. pore pixels with >= 20 voxels of pore below.
    const [clean] = simulateStacks(structure, [0], [{ energyKeV: 4, detector: 'TLD' }], { seed: 1, noise: null, edgeBlur: null });
    const img = clean.slices[0];
    let near = 0, nNear = 0, far = 0, nFar = 0;
    for (let i = 0; i < n * n; i++) {
      if (structure.slices[0][i]) continue;
      if (structure.slices[1][i]) (near += img[i]), nNear++;
      else if ([...Array(20).keys()].every((k) => !structure.slices[k + 1][i])) (far += img[i]), nFar++;
    }
    expect(nNear).toBeGreaterThan(50);
    expect(nFar).toBeGreaterThan(50);
    expect(near / nNear).toBeGreaterThan(far / nFar + 20);
  });

  it('is seeded: the same stack twice, whatever other beams are simulated beside it', () => {
    const [again] = simulateStacks(structure, planes, [beams[3]], { seed: 5 });
    expect(again.slices).toEqual(stacks[3].slices);
  });
});

describe('noise and blur', () => {
  it('Gaussian noise on a flat image has variance 0.001 on [0, 1] and zero mean', () => {
    const flat = new Float32Array(200_000).fill(0.5);
    const noisy = addDetectorNoise(flat, { electronsPerPixel: Infinity, gaussianVariance: 0.001 }, seededRandom(3));
    let s = 0, s2 = 0;
    for (const v of noisy) (s += v - 0.5), (s2 += (v - 0.5) ** 2);
    const mean = s / noisy.length;
    expect(Math.abs(mean)).toBeLessThan(3e-4);
    expect(s2 / noisy.length - mean * mean).toBeCloseTo(0.001, 4);
  });

  it('Poisson then Gaussian: variance v / N + 0.001 (N = electrons per pixel)', () => {
    for (const [v, n] of [[0.5, 400], [0.02, 400]]) {
      const noisy = addDetectorNoise(new Float32Array(200_000).fill(v), { electronsPerPixel: n, gaussianVariance: 0.001 }, seededRandom(4));
      let s = 0, s2 = 0;
      for (const x of noisy) (s += x), (s2 += x * x);
      const mean = s / noisy.length;
      expect(mean).toBeCloseTo(v, 3);
      expect((s2 / noisy.length - mean * mean) / (v / n + 0.001)).toBeCloseTo(1, 1);
    }
  });

  it('the blur of a point has the requested sigma (exact kernel and box passes)', () => {
    for (const sigma of [1, 4, 10]) {
      const nx = 101;
      const img = new Float32Array(nx * nx);
      img[50 * nx + 50] = 1;
      gaussianBlur(img, nx, nx, sigma);
      let sum = 0, m2 = 0;
      for (let y = 0; y < nx; y++) for (let x = 0; x < nx; x++) (sum += img[y * nx + x]), (m2 += img[y * nx + x] * (x - 50) ** 2);
      expect(sum).toBeCloseTo(1, 4);
      expect(Math.sqrt(m2 / sum) / sigma).toBeCloseTo(1, 1);
    }
  });
});
