// Our SLIC compared with skimage.segmentation.slic on a generated image: not
// bit-exact, but a similar number of superpixels, both follow the true edges
// (boundary recall) and both are nearly pure (achievable segmentation accuracy).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { slic } from '../../src-main/segment/classical';
import { runPython, tempDir } from '../helpers/python';
import { levelStack, writeRaw } from './classical-images';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const SKIMAGE_SLIC = `
import sys, json, numpy as np
from skimage.segmentation import slic
c = json.loads(sys.argv[1])
a = np.fromfile(c['raw'], dtype=np.uint8).reshape(c['shape'])
s = slic(a, n_segments=c['n'], compactness=c['m'], channel_axis=None, start_label=0)
s.astype(np.int32).tofile(c['out'])
print(int(s.max()) + 1)
`;

/** Fraction of true-edge pixels with a superpixel edge within 1 px. */
function boundaryRecall(seg: ArrayLike<number>, truth: ArrayLike<number>, ny: number, nx: number): number {
  const edge = (l: ArrayLike<number>, y: number, x: number): boolean =>
    (x + 1 < nx && l[y * nx + x] !== l[y * nx + x + 1]) || (y + 1 < ny && l[y * nx + x] !== l[(y + 1) * nx + x]);
  let hit = 0;
  let all = 0;
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      if (!edge(truth, y, x)) continue;
      all++;
      let found = false;
      for (let dy = -1; dy <= 1 && !found; dy++) for (let dx = -1; dx <= 1 && !found; dx++) {
        const yy = y + dy;
        const xx = x + dx;
        if (yy >= 0 && yy < ny && xx >= 0 && xx < nx && edge(seg, yy, xx)) found = true;
      }
      if (found) hit++;
    }
  }
  return hit / all;
}

/** Achievable segmentation accuracy: every superpixel takes its majority true label. */
function asa(seg: ArrayLike<number>, truth: ArrayLike<number>): number {
  const m = new Map<number, Map<number, number>>();
  for (let i = 0; i < seg.length; i++) {
    const t = m.get(seg[i]) ?? new Map<number, number>();
    t.set(truth[i], (t.get(truth[i]) ?? 0) + 1);
    m.set(seg[i], t);
  }
  let good = 0;
  for (const t of m.values()) good += Math.max(...t.values());
  return good / seg.length;
}

describe('SLIC', () => {
  it('is close to skimage.segmentation.slic on a noisy block image', async () => {
    const ny = 96;
    const nx = 128;
    const v = levelStack({ dtype: 'uint8', shape: [1, ny, nx], levels: [40, 130, 220], sd: 12, seed: 21 });
    const truth = levelStack({ dtype: 'uint8', shape: [1, ny, nx], levels: [0, 1, 2], sd: 0, seed: 21 }).slices[0];
    const raw = join(tmp.dir, 'img.raw');
    const out = join(tmp.dir, 'sk.raw');
    writeRaw(raw, v);
    const n = 192;
    const m = 0.1;
    const skCount = Number(runPython(SKIMAGE_SLIC, [JSON.stringify({ raw, shape: [ny, nx], n, m, out })]).trim());
    const sk = new Int32Array((await import('node:fs')).readFileSync(out).buffer.slice(0));
    const ours = slic(v.slices[0], ny, nx, { nSegments: n, compactness: m });
    const brOurs = boundaryRecall(ours.labels, truth, ny, nx);
    const brSk = boundaryRecall(sk, truth, ny, nx);
    const asaOurs = asa(ours.labels, truth);
    const asaSk = asa(sk, truth);
    console.log(`SLIC ours: ${ours.count} segments, boundary recall ${brOurs.toFixed(3)}, ASA ${asaOurs.toFixed(4)}; skimage: ${skCount} segments, recall ${brSk.toFixed(3)}, ASA ${asaSk.toFixed(4)}`);
    expect(Math.abs(ours.count - skCount) / skCount).toBeLessThan(0.35);
    expect(brOurs).toBeGreaterThan(0.9);
    expect(asaOurs).toBeGreaterThan(0.97);
    expect(brOurs).toBeGreaterThan(brSk - 0.05);
    expect(asaOurs).toBeGreaterThan(asaSk - 0.01);
    // labels are 0 .. count - 1, each 4-connected
    expect(Math.max(...ours.labels)).toBe(ours.count - 1);
  });

  it('larger compactness gives more compact (squarer) superpixels', () => {
    const v = levelStack({ dtype: 'uint8', shape: [1, 64, 64], levels: [40, 220], sd: 10, seed: 22 });
    const perimeter = (l: Int32Array): number => {
      let p = 0;
      for (let y = 0; y < 64; y++) for (let x = 0; x < 63; x++) if (l[y * 64 + x] !== l[y * 64 + x + 1]) p++;
      for (let y = 0; y < 63; y++) for (let x = 0; x < 64; x++) if (l[y * 64 + x] !== l[(y + 1) * 64 + x]) p++;
      return p;
    };
    const loose = slic(v.slices[0], 64, 64, { nSegments: 64, compactness: 0.02 });
    const tight = slic(v.slices[0], 64, 64, { nSegments: 64, compactness: 10 });
    expect(perimeter(tight.labels) / tight.count).toBeLessThan(perimeter(loose.labels) / loose.count);
  });
});
