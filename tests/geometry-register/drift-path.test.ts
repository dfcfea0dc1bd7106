// The least-squares drift path against numpy (numpy.linalg.lstsq on the weighted
// design matrix, covariance by numpy.linalg.inv), on random pairs at several
// distances; outlier rejection; slices no pair reaches.
import { describe, expect, it } from 'vitest';
import { fitDriftPath, type DriftPair } from '../../src-main/geometry/drift-path';
import { driftSignificance, significanceThreshold } from '../../src-main/geometry/drift-significance';
import { chiSquareQuantile } from '../../src-main/geometry/register-channels';
import { runPython } from '../helpers/python';
import { random } from '../helpers/random';

// Weighted least squares with T(0) = 0 and the weak neighbour tie of drift-path.ts
// (TIE_PX 50), written out as a dense design matrix; errors scaled by
// max(1, sqrt(chi2 / dof)) over the pairs, dof = 2 (pairs - (n - 1)).
const NUMPY_LSQ = String.raw`
import json, sys
import numpy as np
p = json.loads(sys.stdin.read())
n, pairs, tie = p["n"], p["pairs"], p["tie"]
out = {}
chi2 = 0.0
for axis in ("dy", "dx"):
    rows, b, w = [], [], []
    for q in pairs:
        r = np.zeros(n); r[q["j"]] += 1; r[q["i"]] -= 1
        rows.append(r); b.append(q[axis]); w.append(1 / q["sigma" + axis[0].upper() + axis[1:]])
    for i in range(n - 1):
        r = np.zeros(n); r[i + 1] = 1; r[i] = -1
        rows.append(r); b.append(0.0); w.append(1 / tie)
    A = np.array(rows)[:, 1:] * np.array(w)[:, None]
    y = np.array(b) * np.array(w)
    t, *_ = np.linalg.lstsq(A, y, rcond=None)
    cov = np.linalg.inv(A.T @ A)
    full = np.concatenate([[0.0], t])
    res = [(full[q["j"]] - full[q["i"]] - q[axis]) / q["sigma" + axis[0].upper() + axis[1:]] for q in pairs]
    chi2 += float(np.sum(np.square(res)))
    out[axis] = {"t": full.tolist(), "var": [0.0] + np.diag(cov).tolist()}
dof = 2 * (len(pairs) - (n - 1))
out["scale"] = max(1.0, (chi2 / dof) ** 0.5)
print(json.dumps(out))
`;

function randomPairs(n: number, seed: number, truth: { dy: number; dx: number }[], distances: number[]): DriftPair[] {
  const r = random(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const pairs: DriftPair[] = [];
  for (let j = 1; j < n; j++) {
    for (const d of distances) {
      if (j - d < 0) continue;
      const sigmaDy = 0.05 + 0.3 * r();
      const sigmaDx = 0.05 + 0.3 * r();
      pairs.push({ i: j - d, j, sigmaDy, sigmaDx, dy: truth[j].dy - truth[j - d].dy + sigmaDy * gauss(), dx: truth[j].dx - truth[j - d].dx + sigmaDx * gauss() });
    }
  }
  return pairs;
}

describe('fitDriftPath', () => {
  const n = 30;
  const r = random(3);
  const truth = [{ dy: 0, dx: 0 }];
  for (let i = 1; i < n; i++) truth.push({ dy: truth[i - 1].dy + (r() - 0.5) * 3, dx: truth[i - 1].dx + (r() - 0.5) * 3 });

  it('equals the weighted least-squares solution and covariance of numpy', () => {
    const pairs = randomPairs(n, 11, truth, [1, 2, 3, 5, 8]);
    const fit = fitDriftPath(n, pairs);
    expect(fit.used.every(Boolean)).toBe(true);
    const ref = JSON.parse(runPython(NUMPY_LSQ, [], JSON.stringify({ n, pairs, tie: 50 })));
    for (let i = 0; i < n; i++) {
      expect(fit.path[i].dy).toBeCloseTo(ref.dy.t[i], 9);
      expect(fit.path[i].dx).toBeCloseTo(ref.dx.t[i], 9);
      expect(fit.sigma[i].dy).toBeCloseTo(ref.scale * Math.sqrt(ref.dy.var[i]), 9);
      expect(fit.sigma[i].dx).toBeCloseTo(ref.scale * Math.sqrt(ref.dx.var[i]), 9);
    }
    // And it is near the truth: within 4 of its own standard errors everywhere.
    for (let i = 1; i < n; i++) {
      expect(Math.abs(fit.path[i].dy - truth[i].dy)).toBeLessThan(4 * fit.sigma[i].dy);
      expect(Math.abs(fit.path[i].dx - truth[i].dx)).toBeLessThan(4 * fit.sigma[i].dx);
    }
    expect(driftSignificance(fit).significant).toBe(true);
  });

  it('errors grow far slower than the neighbour chain\'s random walk', () => {
    const chainOnly = fitDriftPath(n, randomPairs(n, 12, truth, [1]));
    const many = fitDriftPath(n, randomPairs(n, 12, truth, [1, 2, 3, 5, 8]));
    // The chain's variance at the last slice is the sum of 29 pair variances.
    expect(many.sigma[n - 1].dy).toBeLessThan(0.5 * chainOnly.sigma[n - 1].dy);
    expect(many.sigma[n - 1].dx).toBeLessThan(0.5 * chainOnly.sigma[n - 1].dx);
  });

  it('leaves a wrong match out, and the path stays on the truth', () => {
    const pairs = randomPairs(n, 13, truth, [1, 2, 3, 5, 8]);
    const bad = pairs.findIndex((p) => p.i === 10 && p.j === 11);
    pairs[bad] = { ...pairs[bad], dx: pairs[bad].dx + 6 };
    const fit = fitDriftPath(n, pairs);
    expect(fit.used[bad]).toBe(false);
    expect(fit.used.filter((u) => !u).length).toBeLessThanOrEqual(2);
    const ref = JSON.parse(runPython(NUMPY_LSQ, [], JSON.stringify({ n, pairs: pairs.filter((_, k) => fit.used[k]), tie: 50 })));
    for (let i = 0; i < n; i++) expect(fit.path[i].dx).toBeCloseTo(ref.dx.t[i], 9);
  });

  it('slices no pair reaches take their neighbours\' translation and are not connected', () => {
    const pairs = randomPairs(n, 14, truth, [1, 2]).filter((p) => p.j !== 7 && p.i !== 7);
    const fit = fitDriftPath(n, pairs);
    expect(fit.connected.flatMap((c, i) => (c ? [] : [i]))).toEqual([7]);
    expect(fit.path[7].dy).toBeCloseTo((fit.path[6].dy + fit.path[8].dy) / 2, 6);
    expect(fit.sigma[7].dy).toBeGreaterThan(20);
  });

  it('a slice-shared error is added to the slice and slice 0, not averaged away', () => {
    const pairs = randomPairs(n, 15, truth, [1, 2, 3]);
    const plain = fitDriftPath(n, pairs);
    const shared = fitDriftPath(n, pairs, Array.from({ length: n }, (_, i) => ({ dy: i === 5 ? 0.09 : 0.01, dx: 0.01 })));
    expect(shared.path).toEqual(plain.path);
    expect(shared.sigma[0]).toEqual({ dy: 0, dx: 0 });
    expect(shared.sigma[5].dy ** 2).toBeCloseTo(plain.sigma[5].dy ** 2 + 0.09 + 0.01, 9);
    expect(shared.sigma[6].dx ** 2).toBeCloseTo(plain.sigma[6].dx ** 2 + 0.02, 9);
  });
});

describe('driftSignificance', () => {
  it('the threshold is where m slices without drift reach by chance with probability 0.001 (chi-square, 2 degrees of freedom)', () => {
    // P(z^2 > t) = exp(-t / 2) for one slice; Bonferroni over m.
    for (const m of [1, 10, 62, 1000]) expect(m * Math.exp(-(significanceThreshold(m) ** 2) / 2)).toBeCloseTo(0.001, 12);
  });

  it('pure noise around a still stack is not significant and says so', () => {
    const truth = Array.from({ length: 40 }, () => ({ dy: 0, dx: 0 }));
    const fit = fitDriftPath(40, randomPairs(40, 16, truth, [1, 2, 3, 5, 8]));
    const s = driftSignificance(fit);
    expect(s.significant).toBe(false);
    expect(s.maxSigmas).toBeLessThan(s.thresholdSigmas);
    expect(s.message).toMatch(/^no significant drift found: max \|d\| [0-9.]+ px \(slice \d+\) = [0-9.]+ sigma < 4\.6 sigma .*slices kept as they are$/);
  });
});

describe('chiSquareQuantile (channel offsets: one offset, or one per slice)', () => {
  it('equals scipy.stats.chi2.ppf(0.999, k) for even k (exact) and is within 2 % for odd k (Wilson-Hilferty)', () => {
    const ks = [2, 4, 10, 30, 124, 3, 9, 31];
    const ref = JSON.parse(runPython('import json, sys\nfrom scipy.stats import chi2\nprint(json.dumps([float(chi2.ppf(0.999, k)) for k in json.loads(sys.stdin.read())]))', [], JSON.stringify(ks)));
    ks.forEach((k, i) => expect(Math.abs(chiSquareQuantile(k) / ref[i] - 1)).toBeLessThan(k % 2 === 0 ? 1e-9 : 0.02));
  });
});
