// The classical methods on the app's own synthetic FIB-SEM sample (CLI synth:
// 1/2/4 kV TLD stacks with shine-through, truth.tif), MP against the truth.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTiffVolume } from '../../src-main/import/read-tiff-volume';
import { compareToTruth } from '../../src-main/metrics';
import { hybridSegment, kmeansSegment, multiOtsuSegment, otsuSegment, secondDerivativeThreshold, stackHistogram } from '../../src-main/segment/classical';
import type { Volume } from '../../src-shared/volume';
import { tempDir } from '../helpers/python';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

type Roi = { x: number; y: number; width: number; height: number };

function crop(v: Volume, roi: Roi): Volume {
  if (v.shape[1] === roi.height && v.shape[2] === roi.width) return v;
  const nx = v.shape[2];
  const slices = v.slices.map((s) => {
    const o = new Uint8Array(roi.width * roi.height);
    for (let y = 0; y < roi.height; y++) for (let x = 0; x < roi.width; x++) o[y * roi.width + x] = s[(y + roi.y) * nx + x + roi.x];
    return o;
  });
  return { ...v, shape: [v.shape[0], roi.height, roi.width], slices };
}

describe('classical segmentation of a synthetic FIB-SEM stack', () => {
  const mp: Record<string, Record<string, number>> = {};
  const stacks: Record<number, Volume> = {};
  let truth: Volume;

  beforeAll(async () => {
    const out = join(tmp.dir, 'synth');
    execFileSync(process.execPath, ['bin/fibrecon.mjs', 'synth', out, '--columns', '128', '--rows', '96', '--slices', '10', '--seed', '7', '--json'], { stdio: 'pipe' });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { roi: Roi };
    truth = crop(await readTiffVolume([join(out, 'truth.tif')]), manifest.roi);
    for (const kv of [1, 2, 4]) {
      const v = crop(await readTiffVolume([join(out, `${kv}kV_TLD.tif`)]), manifest.roi);
      stacks[kv] = v;
      const m = (r: { labels: Volume }): number => compareToTruth(r.labels, truth).misplacedPercent;
      mp[`${kv} kV`] = {
        otsu: m(otsuSegment(v)),
        multiOtsu3: m(multiOtsuSegment(v)),
        kmeans3: m(kmeansSegment(v)),
        hybrid: m(hybridSegment(v)),
      };
    }
    console.table(mp);
  }, 120_000);

  it('Otsu at 2 kV gives a plausible MP (3-30 %)', () => {
    expect(truth.shape).toEqual([10, 96, 128]);
    expect(mp['2 kV'].otsu).toBeGreaterThan(3);
    expect(mp['2 kV'].otsu).toBeLessThan(30);
  });

  it('shine-through grows with kV: Otsu MP rises from 1 to 4 kV', () => {
    expect(mp['1 kV'].otsu).toBeLessThan(mp['2 kV'].otsu);
    expect(mp['2 kV'].otsu).toBeLessThan(mp['4 kV'].otsu);
  });

  it('three classes with the middle one as pore beat Otsu at 2 and 4 kV', () => {
    for (const kv of ['2 kV', '4 kV']) {
      expect(mp[kv].multiOtsu3).toBeLessThan(mp[kv].otsu);
      expect(mp[kv].kmeans3).toBeLessThan(mp[kv].otsu);
    }
  });

  it('the hybrid method (002) beats Otsu at 4 kV, and its threshold lies above the Otsu threshold', () => {
    expect(mp['4 kV'].hybrid).toBeLessThan(mp['4 kV'].otsu);
    const h = stackHistogram(stacks[4], { maxBins: 256 });
    const t = secondDerivativeThreshold(h);
    expect(t.fellBackToOtsu).toBe(false);
    expect(t.threshold).toBeGreaterThan(otsuSegment(stacks[4]).solidAbove);
  });

  it('reports progress and can be cancelled', () => {
    const seen: number[] = [];
    otsuSegment(stacks[1], { onProgress: (p) => seen.push(p.fraction) });
    expect(seen[seen.length - 1]).toBe(1);
    const ac = new AbortController();
    ac.abort();
    expect(() => hybridSegment(stacks[1], { signal: ac.signal })).toThrow(/cancelled/);
  });
});
