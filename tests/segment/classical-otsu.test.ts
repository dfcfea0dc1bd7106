// Otsu and multi-Otsu against skimage.filters (Debian's python3-skimage) on
// the same stacks: thresholds must be equal, not close.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiOtsuSegment, multiOtsuThresholdsFromHistogram, otsuSegment, otsuThresholdFromHistogram, stackHistogram } from '../../src-main/segment/classical';
import { runPython, tempDir } from '../helpers/python';
import { type LevelSpec, levelStack, writeRaw } from './classical-images';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const SKIMAGE = `
import sys, json, numpy as np
from skimage.filters import threshold_otsu, threshold_multiotsu
out = []
for c in json.loads(sys.argv[1]):
    a = np.fromfile(c['raw'], dtype=c['dtype']).reshape(c['shape'])
    r = {'otsu': float(threshold_otsu(a))}
    if c.get('hist'):
        h = json.loads(open(c['hist']).read())
        counts, centers = np.array(h['counts']), np.array(h['centers'])
        r['otsu_hist'] = float(threshold_otsu(hist=(counts, centers)))
        r['multi_hist'] = {str(k): [float(t) for t in threshold_multiotsu(hist=(counts, centers), classes=k)] for k in c['classes']}
    else:
        r['multi'] = {str(k): [float(t) for t in threshold_multiotsu(a, classes=k)] for k in c['classes']}
    out.append(r)
print(json.dumps(out))
`;

const CASES: (LevelSpec & { classes: number[] })[] = [
  { dtype: 'uint8', shape: [3, 40, 48], levels: [60, 170], sd: 25, seed: 1, classes: [2, 3, 4] },
  { dtype: 'uint8', shape: [4, 32, 32], levels: [40, 110, 200], sd: 18, seed: 2, classes: [2, 3, 4] },
  { dtype: 'uint8', shape: [2, 64, 40], levels: [90, 120, 140], sd: 30, seed: 3, classes: [3] },
  { dtype: 'uint8', shape: [5, 24, 24], levels: [10, 30, 245], sd: 6, seed: 4, classes: [2, 3, 4] },
  { dtype: 'uint16', shape: [3, 40, 40], levels: [1000, 1800, 3000], sd: 150, seed: 5, classes: [2, 3] },
  { dtype: 'uint16', shape: [2, 32, 48], levels: [20000, 24000], sd: 400, seed: 6, classes: [2, 3] },
];

describe('Otsu and multi-Otsu equal skimage', () => {
  const specs = CASES.map((c, i) => {
    const v = levelStack(c);
    const raw = join(tmp.dir, `case${i}.raw`);
    writeRaw(raw, v);
    return { c, v, raw };
  });
  const ref = JSON.parse(runPython(SKIMAGE, [JSON.stringify(specs.map(({ c, raw }) => ({ raw, dtype: c.dtype, shape: c.shape, classes: c.classes })))]));

  specs.forEach(({ c, v }, i) => {
    it(`case ${i}: ${c.dtype} levels ${c.levels.join('/')} sd ${c.sd}`, () => {
      const o = otsuSegment(v);
      expect(o.thresholds[0]).toBe(ref[i].otsu);
      expect(o.labels.dtype).toBe('uint8');
      expect(o.labels.shape).toEqual(v.shape);
      expect(o.labels.zPositionsNm).toEqual(v.zPositionsNm);
      // value > t is solid
      for (let z = 0; z < v.shape[0]; z++) {
        for (let p = 0; p < v.slices[z].length; p += 7) expect(o.labels.slices[z][p]).toBe(v.slices[z][p] > o.solidAbove ? 1 : 0);
      }
      for (const k of c.classes) {
        // maxBins 65536: one bin per grey value also for the wide 16-bit case (default re-bins above 4096 bins)
        const m = multiOtsuSegment(v, { classes: k, maxBins: 65536 });
        expect(m.thresholds, `classes ${k}`).toEqual(ref[i].multi[String(k)]);
        expect(m.solidAbove).toBe(m.thresholds[k - 2]);
      }
    });
  });

  it('re-binned 16-bit histogram (wide range) equals skimage given the same hist', () => {
    const v = levelStack({ dtype: 'uint16', shape: [3, 48, 48], levels: [5000, 30000, 52000], sd: 3000, seed: 9 });
    const h = stackHistogram(v, { maxBins: 1000 });
    expect(h.binWidth).toBeGreaterThan(1);
    const raw = join(tmp.dir, 'wide.raw');
    const hist = join(tmp.dir, 'wide.json');
    writeRaw(raw, v);
    writeFileSync(hist, JSON.stringify({ counts: [...h.counts], centers: [...h.centers] }));
    const [r] = JSON.parse(runPython(SKIMAGE, [JSON.stringify([{ raw, dtype: 'uint16', shape: v.shape, hist, classes: [2, 3] }])]));
    expect(otsuThresholdFromHistogram(h.counts, h.centers).threshold).toBe(r.otsu_hist);
    expect(multiOtsuThresholdsFromHistogram(h.counts, h.centers, 3)).toEqual(r.multi_hist['3']);
    expect(multiOtsuThresholdsFromHistogram(h.counts, h.centers, 2)).toEqual(r.multi_hist['2']);
    // multiOtsuSegment with the same maxBins uses the same histogram
    expect(multiOtsuSegment(v, { classes: 3, maxBins: 1000 }).thresholds).toEqual(r.multi_hist['3']);
    // Otsu always uses one bin per grey value: equal to skimage on the image itself
    expect(otsuSegment(v).thresholds[0]).toBe(r.otsu);
  });

  it('a constant stack: Otsu returns the value and nothing is solid; multi-Otsu says what to do', () => {
    const v = levelStack({ dtype: 'uint8', shape: [2, 8, 8], levels: [77], sd: 0, seed: 1 });
    const o = otsuSegment(v);
    expect(o.thresholds).toEqual([77]);
    expect(o.labels.slices.every((s) => s.every((x) => x === 0))).toBe(true);
    expect(() => multiOtsuSegment(v)).toThrow(/only 1 different grey values/);
  });

  it('rejects float stacks with a message that says what to do', () => {
    const v = levelStack({ dtype: 'uint8', shape: [1, 4, 4], levels: [1], sd: 0, seed: 1 });
    expect(() => otsuSegment({ ...v, dtype: 'float32', slices: [new Float32Array(16)] })).toThrow(/convert it to 8 or 16 bit/);
  });
});
