// k-means on the histogram against a brute-force numpy Lloyd over every voxel
// with the same initialisation (no sklearn in Debian).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kmeansSegment } from '../../src-main/segment/classical';
import { runPython, tempDir } from '../helpers/python';
import { type LevelSpec, levelStack, writeRaw } from './classical-images';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const NUMPY_LLOYD = `
import sys, json, numpy as np
out = []
for c in json.loads(sys.argv[1]):
    a = np.fromfile(c['raw'], dtype=c['dtype']).astype(np.float64).ravel()
    k = c['k']
    s = np.sort(a)
    centres = np.array([s[int(np.floor((2 * j + 1) / (2 * k) * (a.size - 1)))] for j in range(k)])
    assign = None
    for it in range(1000):
        new = np.argmin(np.abs(a[:, None] - centres[None, :]), axis=1)
        if assign is not None and np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            if np.any(assign == j):
                centres[j] = a[assign == j].mean()
    o = np.argsort(centres)
    out.append({'centres': centres[o].tolist(), 'sizes': [int(np.sum(assign == j)) for j in o]})
print(json.dumps(out))
`;

const CASES: (LevelSpec & { k: number })[] = [
  { dtype: 'uint8', shape: [3, 40, 48], levels: [50, 120, 200], sd: 20, seed: 11, k: 3 },
  { dtype: 'uint8', shape: [2, 32, 32], levels: [60, 170], sd: 30, seed: 12, k: 3 },
  { dtype: 'uint8', shape: [2, 32, 32], levels: [60, 170], sd: 30, seed: 13, k: 2 },
  { dtype: 'uint16', shape: [2, 40, 40], levels: [8000, 20000, 41000], sd: 2500, seed: 14, k: 3 },
  { dtype: 'uint16', shape: [2, 24, 40], levels: [100, 400, 900, 1500], sd: 60, seed: 15, k: 4 },
];

describe('k-means on the histogram equals Lloyd over the voxels', () => {
  const specs = CASES.map((c, i) => {
    const v = levelStack(c);
    const raw = join(tmp.dir, `k${i}.raw`);
    writeRaw(raw, v);
    return { c, v, raw };
  });
  const ref = JSON.parse(runPython(NUMPY_LLOYD, [JSON.stringify(specs.map(({ c, raw }) => ({ raw, dtype: c.dtype, k: c.k })))]));
  specs.forEach(({ c, v }, i) => {
    it(`case ${i}: ${c.dtype} k=${c.k} levels ${c.levels.join('/')}`, () => {
      const r = kmeansSegment(v, { k: c.k });
      for (let j = 0; j < c.k; j++) expect(r.fit.centers[j]).toBeCloseTo(ref[i].centres[j], 6);
      expect(r.fit.sizes).toEqual(ref[i].sizes);
      expect(r.thresholds).toHaveLength(c.k - 1);
      expect(r.solidAbove).toBeCloseTo((ref[i].centres[c.k - 2] + ref[i].centres[c.k - 1]) / 2, 6);
      let solid = 0;
      for (const s of r.labels.slices) for (const x of s) solid += x;
      expect(solid).toBe(ref[i].sizes[c.k - 1]);
    });
  });
});
