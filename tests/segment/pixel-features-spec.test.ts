// The feature spec: the default's features counted family by family, names
// unique and stable through JSON, and settings that cannot be computed
// rejected with a message that says what to change.
import { describe, expect, it } from 'vitest';
import {
  channelFromVolume,
  computeSliceFeatures,
  defaultFeatureSpec,
  featureCount,
  featureNames,
  IN_PLANE_FAMILIES,
  type PixelFeatureSpec,
  validateFeatureSpec,
} from '../../src-main/segment/pixel-features';

describe('feature spec', () => {
  it('default: 4 scales x (gaussian, gradient, LoG, 2 Hessian, 2 structure tensor) + 3 DoG + intensity + 4 offsets x 2 scales = 40 per channel', () => {
    const spec = defaultFeatureSpec();
    const perScale = 1 + 1 + 1 + 2 + 2;
    const expected = 1 + spec.scalesPx.length * perScale + (spec.scalesPx.length - 1) + spec.neighbours.offsets.length * spec.neighbours.scalesPx.length;
    expect(expected).toBe(40);
    expect(featureCount(spec)).toBe(40);
    expect(featureCount(defaultFeatureSpec(3))).toBe(120);
    const names = featureNames(defaultFeatureSpec(2));
    expect(new Set(names).size).toBe(80);
    expect(names.slice(0, 40).every((n) => n.startsWith('c0:'))).toBe(true);
    expect(names.slice(40).every((n) => n.startsWith('c1:'))).toBe(true);
    expect(names.filter((n) => n.includes('minus z')).length).toBe(16);
  });

  it('is plain JSON: a stored and reloaded spec gives the same names', () => {
    const spec = defaultFeatureSpec(2);
    const reloaded = JSON.parse(JSON.stringify(spec)) as PixelFeatureSpec;
    expect(featureNames(reloaded)).toEqual(featureNames(spec));
    expect(validateFeatureSpec(reloaded)).toEqual(spec);
  });

  it('names follow the families switched on, and the computed rows have that many features', () => {
    const spec: PixelFeatureSpec = { version: 1, channelCount: 1, scalesPx: [1, 2], families: ['gaussian', 'difference-of-gaussians'], neighbours: { offsets: [1], scalesPx: [1], mode: 'value' } };
    expect(featureNames(spec)).toEqual(['c0:gaussian:1', 'c0:gaussian:2', 'c0:difference-of-gaussians:1-2', 'c0:slice z+1:1']);
    const img = new Uint8Array(6 * 7).map((_, i) => (i * 37) % 255);
    const vol = { shape: [2, 6, 7] as const, dtype: 'uint8' as const, voxelSizeNm: { x: 1, y: 1, z: 1 }, zPositionsNm: [0, 1], slices: [img, img] };
    const f = computeSliceFeatures([channelFromVolume(vol)], 0, spec, { version: 1, lowPercentile: 0.5, highPercentile: 99.5, channels: [{ low: 0, high: 255 }] });
    expect(f.nFeatures).toBe(4);
    expect(f.data.length).toBe(6 * 7 * 4);
    // slice z + 1 is the same image, so its smoothed value equals the gaussian at sigma 1
    for (let p = 0; p < 42; p++) expect(f.data[p * 4 + 3]).toBe(f.data[p * 4 + 0]);
    // DoG = G(1) - G(2), both read back from the same row
    for (let p = 0; p < 42; p++) expect(f.data[p * 4 + 2]).toBeCloseTo(f.data[p * 4] - f.data[p * 4 + 1], 6);
  });

  it('rejects settings it cannot compute, saying what to change', () => {
    const base = defaultFeatureSpec();
    const bad: [unknown, RegExp][] = [
      [{ ...base, scalesPx: [1.6, 0.7] }, /strictly ascending/],
      [{ ...base, scalesPx: [0, 1] }, /sigmas between 0 and/],
      [{ ...base, families: ['sobel'] }, new RegExp(`choose from ${IN_PLANE_FAMILIES[0]}`)],
      [{ ...base, families: ['gaussian', 'gaussian'] }, /listed twice/],
      [{ ...base, neighbours: { ...base.neighbours, offsets: [0, 1] } }, /non-zero integers/],
      [{ ...base, neighbours: { ...base.neighbours, offsets: [1.5] } }, /non-zero integers/],
      [{ ...base, neighbours: { ...base.neighbours, scalesPx: [] } }, /give at least one sigma/],
      [{ ...base, neighbours: { ...base.neighbours, mode: 'ratio' } }, /'difference' or 'value'/],
      [{ ...base, version: 2 }, /update fibrecon or retrain/],
      [{ ...base, channelCount: 0 }, /positive integer/],
    ];
    for (const [spec, message] of bad) expect(() => validateFeatureSpec(spec)).toThrow(message);
  });
});
