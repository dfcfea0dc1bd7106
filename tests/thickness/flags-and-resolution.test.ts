import { describe, expect, it } from 'vitest';
import { flagThickness, resolveFlaggedThickness, zPositionsNmFromThickness } from '../../src-main/thickness';

// Ten ordinary slices around 10 nm, one unmeasured, one tiny (ASV), one far off.
const series: (number | null)[] = [10, 11, 9, null, 10, 0.4, 10.5, 30, 9.5, 10, 11, 9.5, 10];

describe('flagThickness', () => {
  it('flags nan, tiny and |z| > 1.5 outliers, z-scores over the measured non-tiny values (ddof 0)', () => {
    const f = flagThickness(series);
    expect(f.flags).toEqual([null, null, null, 'nan', null, 'tiny', null, 'outlier', null, null, null, null, null]);
    const used = series.filter((t): t is number => t !== null && t > 1);
    const mean = used.reduce((s, t) => s + t, 0) / used.length;
    const sd = Math.sqrt(used.reduce((s, t) => s + (t - mean) ** 2, 0) / used.length);
    expect(f.meanNm).toBeCloseTo(mean, 12);
    expect(f.sdNm).toBeCloseTo(sd, 12);
    expect(f.zScores[7]).toBeCloseTo((30 - mean) / sd, 12);
    expect(f.zScores[3]).toBeNull();
    expect(f.counts).toEqual({ nan: 1, tiny: 1, outlier: 1 });
  });

  it('takes the limits as options', () => {
    const f = flagThickness([10, 12, 8, 10, 0.9, 2], { outlierZ: 100, tinyNm: 2 });
    expect(f.flags).toEqual([null, null, null, null, 'tiny', 'tiny']);
    expect(() => flagThickness([1], { outlierZ: 0 })).toThrow(/outlier limit/);
  });
});

describe('resolveFlaggedThickness', () => {
  const { flags } = flagThickness(series);
  const valid = [10, 11, 9, 10, 10.5, 9.5, 10, 11, 9.5, 10];
  const median = 10;

  it('target: the target thickness (one number or per slice)', () => {
    const r = resolveFlaggedThickness(series, flags, 'target', { targetNm: 10 });
    expect([r.thicknessNm[3], r.thicknessNm[5], r.thicknessNm[7]]).toEqual([10, 10, 10]);
    const per = resolveFlaggedThickness(series, flags, 'target', { targetNm: series.map((_, i) => i) });
    expect(per.thicknessNm[7]).toBe(7);
    expect(() => resolveFlaggedThickness(series, flags, 'target')).toThrow(/no target thickness is known/);
  });

  it('median: the median of the unflagged values', () => {
    expect([...valid].sort((a, b) => a - b)[4] / 2 + [...valid].sort((a, b) => a - b)[5] / 2).toBe(median);
    const r = resolveFlaggedThickness(series, flags, 'median');
    expect([r.thicknessNm[3], r.thicknessNm[5], r.thicknessNm[7]]).toEqual([median, median, median]);
  });

  it('interpolate: linear between the nearest unflagged neighbours, nearest at the ends', () => {
    const r = resolveFlaggedThickness(series, flags, 'interpolate');
    expect(r.thicknessNm[3]).toBeCloseTo((9 + 10) / 2, 12); // between 2 (9) and 4 (10)
    expect(r.thicknessNm[5]).toBeCloseTo((10 + 10.5) / 2, 12); // between 4 and 6
    expect(r.thicknessNm[7]).toBeCloseTo((10.5 + 9.5) / 2, 12);
    const ends = resolveFlaggedThickness([null, 5, 0.1, 7, null], ['nan', null, 'tiny', null, 'nan'], 'interpolate');
    expect(ends.thicknessNm).toEqual([5, 5, 6, 7, 7]);
    const gap = resolveFlaggedThickness([4, null, null, 10], [null, 'nan', 'nan', null], 'interpolate');
    expect(gap.thicknessNm).toEqual([4, 6, 8, 10]);
  });

  it('keep: the value as it is, refused for an unmeasured slice', () => {
    expect(() => resolveFlaggedThickness(series, flags, 'keep')).toThrow(/after slice 3 was not measured, so it cannot be kept/);
    const r = resolveFlaggedThickness(series, flags, { nan: 'median', tiny: 'keep', outlier: 'keep' });
    expect(r.thicknessNm[5]).toBe(0.4);
    expect(r.thicknessNm[7]).toBe(30);
  });

  it('per-slice choices, and a record of every action', () => {
    const r = resolveFlaggedThickness(series, flags, (slice) => (slice === 3 ? 'interpolate' : slice === 5 ? 'median' : 'target'), { targetNm: 10 });
    expect(r.actions).toEqual([
      { slice: 3, flag: 'nan', resolution: 'interpolate', beforeNm: null, afterNm: 9.5 },
      { slice: 5, flag: 'tiny', resolution: 'median', beforeNm: 0.4, afterNm: 10 },
      { slice: 7, flag: 'outlier', resolution: 'target', beforeNm: 30, afterNm: 10 },
    ]);
    // Unflagged values pass through; the result gives positions.
    expect(r.thicknessNm.filter((_, i) => flags[i] === null)).toEqual(valid);
    const z = zPositionsNmFromThickness(r.thicknessNm);
    expect(z).toHaveLength(series.length + 1);
    expect(z[0]).toBe(0);
    expect(z[z.length - 1]).toBeCloseTo(r.thicknessNm.reduce((s, t) => s + t, 0), 9);
  });

  it('refuses positions while a slice is unmeasured', () => {
    expect(() => zPositionsNmFromThickness(series)).toThrow(/after slice 3 is not measured/);
  });
});
