// Gamma fit and summary statistics against scipy / numpy (Debian python3).
import { describe, expect, it } from 'vitest';
import { gammaDeviate } from '../../src-main/synth/milling/gamma';
import { seededRandom } from '../../src-main/synth/seeded-random';
import { compareThicknessSources, digamma, fitGamma, summarizeThickness, trigamma } from '../../src-main/thickness';
import { runPython } from '../helpers/python';

function gammaSample(shape: number, scale: number, n: number, seed: number): number[] {
  const rng = seededRandom(seed, 1);
  return Array.from({ length: n }, () => gammaDeviate(shape, scale, rng));
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('special functions', () => {
  it('digamma and trigamma agree with scipy to 1e-12', () => {
    const xs = [1e-3, 0.1, 0.5, 1, 1.5, 3.7, 9.99, 10, 42, 1e4];
    const ref = JSON.parse(runPython('import sys, json; from scipy.special import digamma, polygamma; xs = json.loads(sys.argv[1]); print(json.dumps([[float(digamma(x)), float(polygamma(1, x))] for x in xs]))', [JSON.stringify(xs)])) as [number, number][];
    xs.forEach((x, i) => {
      expect(rel(digamma(x), ref[i][0])).toBeLessThan(1e-12);
      expect(rel(trigamma(x), ref[i][1])).toBeLessThan(1e-12);
    });
  });
});

describe('fitGamma', () => {
  it('matches scipy.stats.gamma.fit(x, floc=0) to 1e-6 relative', () => {
    const cases = [
      gammaSample(10.6, 0.958, 400, 1), // the seeds' ruler data: mean 10.16, sd 3.12
      gammaSample(0.7, 5, 300, 2),
      gammaSample(50, 0.2, 200, 3),
      gammaSample(2, 4, 25, 4),
    ];
    const ref = JSON.parse(
      runPython('import sys, json; from scipy import stats; cs = json.loads(sys.stdin.read()); print(json.dumps([list(map(float, stats.gamma.fit(c, floc=0))) for c in cs]))', [], JSON.stringify(cases)),
    ) as [number, number, number][];
    cases.forEach((x, i) => {
      const f = fitGamma(x);
      expect(rel(f.shape, ref[i][0])).toBeLessThan(1e-6);
      expect(rel(f.scaleNm, ref[i][2])).toBeLessThan(1e-6);
      expect(f.meanNm).toBeCloseTo(x.reduce((s, v) => s + v, 0) / x.length, 9);
      expect(f.sdNm).toBeCloseTo(Math.sqrt(f.shape) * f.scaleNm, 12);
    });
  });

  it('leaves out null and non-positive values, and refuses what cannot be fitted', () => {
    const f = fitGamma([10, null, 12, 0, -1, 8]);
    expect(f.n).toBe(3);
    expect(f.excluded).toBe(3);
    expect(() => fitGamma([10])).toThrow(/at least two positive/);
    expect(() => fitGamma([10, 10, 10])).toThrow(/all thicknesses are equal/);
  });
});

describe('summarizeThickness and compareThicknessSources', () => {
  const a = gammaSample(10.6, 0.958, 120, 7).map((t, i) => (i % 17 === 3 ? null : t));
  const b = a.map((t, i) => (t === null || i % 11 === 5 ? null : t + Math.sin(i) * 2 - 0.3));

  it('summary statistics match numpy (sample sd, ddof 1)', () => {
    const s = summarizeThickness(a);
    const ref = JSON.parse(
      runPython('import sys, json, numpy as np; x = np.array([v for v in json.loads(sys.stdin.read()) if v is not None]); print(json.dumps([x.size, x.mean(), x.std(ddof=1), x.min(), x.max(), float(np.median(x))]))', [], JSON.stringify(a)),
    ) as number[];
    expect(s.count).toBe(a.length);
    expect(s.validCount).toBe(ref[0]);
    expect(rel(s.meanNm, ref[1])).toBeLessThan(1e-12);
    expect(rel(s.sdNm, ref[2])).toBeLessThan(1e-12);
    expect([s.minNm, s.maxNm]).toEqual([ref[3], ref[4]]);
    expect(rel(s.medianNm, ref[5])).toBeLessThan(1e-12);
  });

  it('per-slice differences, their mean and sd, and the correlation match numpy', () => {
    const c = compareThicknessSources(a, b);
    const ref = JSON.parse(
      runPython(
        'import sys, json, numpy as np; a, b = json.loads(sys.stdin.read()); k = [i for i in range(len(a)) if a[i] is not None and b[i] is not None]; x = np.array([a[i] for i in k]); y = np.array([b[i] for i in k]); d = x - y; print(json.dumps([k, d.mean(), d.std(ddof=1), float(np.corrcoef(x, y)[0, 1])]))',
        [],
        JSON.stringify([a, b]),
      ),
    ) as [number[], number, number, number];
    expect(c.points.map((p) => p.slice)).toEqual(ref[0]);
    expect(c.n).toBe(ref[0].length);
    c.points.forEach((p) => expect(p.differenceNm).toBe(p.aNm - p.bNm));
    expect(rel(c.meanDifferenceNm, ref[1])).toBeLessThan(1e-9);
    expect(rel(c.sdDifferenceNm, ref[2])).toBeLessThan(1e-9);
    expect(rel(c.correlation, ref[3])).toBeLessThan(1e-12);
    expect(() => compareThicknessSources([1], [1, 2])).toThrow(/differ in length/);
  });
});
