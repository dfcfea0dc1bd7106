// Issue 5's targets on a held-out synthetic stack (structure seed 100, never used in
// training: training/README.md), made by the app's own generator and segmented by the
// app's own engine and classical methods (the same path as `fibrecon segment`), MP
// against the generator's truth:
// - the 2.5D window-7 model at 2 kV below 1 % MP and at least 5 x below Otsu and below
//   k-means (k = 3, middle class to pore; it already removes much of the shine-through);
// - the 2D model above the 2.5D model at 2 kV (Article I's order 2D > 2.5D; the 3D model
//   is not below the 2.5D one, see models/README.md, so 2.5D >= 3D is not asserted);
// - late fusion of 1, 2 and 4 kV below the best single-voltage model.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../src-shared/volume';
import { readTiffVolume } from '../../src-main/import/read-tiff-volume';
import { loadModel } from '../../src-main/inference/load-model';
import { segmentStack } from '../../src-main/inference/segment-stack';
import { compareToTruth } from '../../src-main/metrics';
import { kmeansSegment, otsuSegment } from '../../src-main/segment/classical';
import { modelsDir } from '../../src-main/segment/model-files';
import { hnpgPreset, writeSyntheticSample } from '../../src-main/synth/write-synthetic-sample';

let dir: string;
let truth: Volume;
const grey = new Map<number, Volume>();

function crop(v: Volume, roi: { x: number; y: number; width: number; height: number }): Volume {
  const slices = v.slices.map((s) => {
    const out = new Uint8Array(roi.width * roi.height);
    for (let y = 0; y < roi.height; y++) out.set((s as Uint8Array).subarray((roi.y + y) * v.shape[2] + roi.x, (roi.y + y) * v.shape[2] + roi.x + roi.width), y * roi.width);
    return out;
  });
  return { ...v, shape: [v.shape[0], roi.height, roi.width], slices };
}

async function modelMP(name: string, kvs: number[]): Promise<number> {
  const model = await loadModel(join(modelsDir(), `${name}.onnx`), { ep: 'cpu' });
  try {
    const stacks = kvs.map((kv) => grey.get(kv) as Volume);
    const out: Uint8Array[] = [];
    const get = stacks.length === 1 ? (z: number) => stacks[0].slices[z] : (z: number) => stacks.map((s) => s.slices[z]);
    await segmentStack(model, truth.shape, get, (z, labels) => void (out[z] = labels.slice()), { probabilities: false });
    return compareToTruth({ ...truth, slices: out }, truth).misplacedPercent;
  } finally {
    await model.session.release();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fibrecon-heldout-'));
  // The held-out stack of the model cards (40 slices: with fewer, the 2.5D window's mirrored ends weigh more).
  const sample = await writeSyntheticSample(dir, hnpgPreset({ columns: 256, rows: 192, slices: 40, seed: 100 }));
  truth = await readTiffVolume([sample.files.truth]);
  for (const s of sample.files.stacks) grey.set(s.beam.energyKeV, crop(await readTiffVolume([s.path]), sample.roi));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('held-out targets of issue 5 (seed 100, 40 x 192 x 256)', () => {
  it('2.5D at 2 kV: below 1 % MP, 5 x below Otsu and k-means; 2D above 2.5D', async () => {
    const g = grey.get(2) as Volume;
    const otsu = compareToTruth(otsuSegment(g).labels, truth).misplacedPercent;
    const kmeans = compareToTruth(kmeansSegment(g).labels, truth).misplacedPercent;
    const w7 = await modelMP('unet25d-w7-2kv', [2]);
    const d2 = await modelMP('unet2d-2kv', [2]);
    console.log(`2 kV MP %: Otsu ${otsu.toFixed(2)}, k-means ${kmeans.toFixed(2)}, 2D ${d2.toFixed(3)}, 2.5D w7 ${w7.toFixed(3)}`);
    expect(w7).toBeLessThan(1);
    expect(5 * w7).toBeLessThan(otsu);
    expect(5 * w7).toBeLessThan(kmeans);
    expect(d2).toBeGreaterThan(w7);
  }, 180_000);

  it('late fusion of 1, 2 and 4 kV below every single-voltage branch', async () => {
    const fusion = await modelMP('fusion-w7-124kv', [1, 2, 4]);
    const single = await Promise.all([
      modelMP('unet25d-w7-1kv', [1]),
      modelMP('unet25d-w7-2kv', [2]),
      modelMP('unet25d-w7-4kv', [4]),
    ]);
    console.log(`MP %: fusion ${fusion.toFixed(3)}; branches 1 / 2 / 4 kV ${single.map((x) => x.toFixed(3)).join(' / ')}`);
    expect(fusion).toBeLessThan(0.8 * Math.min(...single));
  }, 240_000);
});
