// ML inpainting of repositioned gaps (RML, issue 7) through the app's engine with the
// shipped model (models/inpaint-small): measured planes bit-exact, the engine equal to
// the PyTorch checkpoint (training/predict_inpainting.py) on a held-out stack, tiled
// planes equal to whole planes away from the tile borders, clear errors, cancel.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npyBytes, stackPlanes } from '../../src-main/export/npy-bytes';
import { distanceRows, measuredDistancePlanes } from '../../src-main/geometry/distance-field';
import { fillGapsMl } from '../../src-main/geometry/fill-ml';
import { INPAINT_CHANNELS, rowsToKnown, writePlaneInput } from '../../src-main/geometry/inpaint-input';
import { repositionSlices } from '../../src-main/geometry/reposition-slices';
import { buildRepositionedVolume, type RepositionedVolume } from '../../src-main/geometry/reposition-volume';
import { loadModel, type LoadedModel } from '../../src-main/inference';
import { runPlanes } from '../../src-main/inference/plane-runner';
import { milledStack } from '../../src-main/synth/milled-stack';
import { PYTHON, runPython, tempDir } from '../helpers/python';

const ROOT = resolve(__dirname, '../..');
const MODELS = process.env.FIBRECON_MODELS_DIR ?? join(ROOT, 'models');
const NAME = 'inpaint-small';

function heldOut(seed: number, size: number, slices: number): RepositionedVolume {
  const { measured } = milledStack({ size, slices, structureSeed: seed, millingSeed: seed + 5000 });
  return buildRepositionedVolume(measured, repositionSlices(measured.zPositionsNm, 2.5));
}

let model: LoadedModel;
beforeAll(async () => {
  model = await loadModel(join(MODELS, `${NAME}.onnx`), { ep: 'cpu' });
});
afterAll(async () => {
  await model?.session.release();
});

describe(`ML gap filling with ${NAME}`, () => {
  it('measured planes pass through bit-exact, gaps hold 0/1 only, the input is unchanged', async () => {
    const rep = heldOut(1100, 48, 24);
    const before = rep.volume.slices.map((s) => s.slice());
    const r = await fillGapsMl(rep, { model });
    rep.known.forEach((k, z) => {
      expect(rep.volume.slices[z]).toEqual(before[z]);
      if (k) expect(r.volume.slices[z]).toEqual(before[z]);
      else expect(r.volume.slices[z].every((v) => v === 0 || v === 1)).toBe(true);
    });
    expect(r.gapVoxels).toBe((rep.known.length - rep.known.reduce((a, b) => a + b, 0)) * 48 * 48);
    expect(r.passDisagreement).toBeLessThan(0.2 * r.gapVoxels);
  });

  it('the engine gives the PyTorch checkpoint\'s labels on a held-out stack (training/predict_inpainting.py)', async () => {
    const size = 64;
    const rep = heldOut(1101, size, 32);
    const nz = rep.volume.shape[0];
    const { dir, cleanup } = tempDir();
    try {
      const d = distanceRows(measuredDistancePlanes(rep.volume, rep.known), rep.known, size, 0, size);
      writeFileSync(join(dir, 'distance.npy'), npyBytes('<f4', [nz, size, size], stackPlanes(d, (n) => new Float32Array(n))));
      writeFileSync(join(dir, 'known.npy'), npyBytes('|u1', [nz], rep.known));
      execFileSync(PYTHON, [join(ROOT, 'training/predict_inpainting.py'), join(MODELS, `${NAME}.pt`), dir], { stdio: 'pipe' });
      const out = JSON.parse(
        runPython(
          `import sys, json, base64, numpy as np
l = np.load(sys.argv[1] + '/labels.npy'); g = np.load(sys.argv[1] + '/logits.npy')
print(json.dumps({'labels': base64.b64encode(l.tobytes()).decode(), 'logits': base64.b64encode(g.astype('<f4').tobytes()).decode()}))`,
          [dir],
        ),
      ) as { labels: string; logits: string };
      const labels = new Uint8Array(Buffer.from(out.labels, 'base64'));
      const lb = Buffer.from(out.logits, 'base64');
      const logits = new Float32Array(lb.buffer.slice(lb.byteOffset, lb.byteOffset + lb.byteLength));
      const r = await fillGapsMl(rep, { model });
      let differ = 0;
      let worst = 0;
      r.volume.slices.forEach((s, z) => {
        if (rep.known[z]) return;
        s.forEach((v, i) => {
          if (v !== labels[z * size * size + i]) {
            differ++;
            worst = Math.max(worst, Math.abs(logits[z * size * size + i]));
          }
        });
      });
      // the engine keeps the zx logit in steps of 1/16 between the passes: only voxels whose
      // mean logit is within 1/32 of the threshold may differ (and float rounding at ~0)
      console.log(`engine vs PyTorch: ${differ} of ${r.gapVoxels} gap voxels differ; largest PyTorch logit among them ${worst}`);
      expect(differ).toBeLessThanOrEqual(Math.ceil(1e-3 * r.gapVoxels));
      expect(worst).toBeLessThan(1 / 32 + 1e-3);
    } finally {
      cleanup();
    }
  });

  it('tiled planes equal whole planes away from the tile borders (documented band)', async () => {
    const rep = heldOut(1102, 96, 40);
    const [nz, ny, nx] = rep.volume.shape;
    const d = distanceRows(measuredDistancePlanes(rep.volume, rep.known), rep.known, nx, 0, 4);
    const gap = rowsToKnown(rep.known);
    const scales = model.card.input.inpainting!;
    const planes = [0, 1, 2, 3].map((y) => {
      const x = new Float32Array(INPAINT_CHANNELS * nz * nx);
      writePlaneInput(x, 0, d, rep.known, gap, { offset: y * nx, stride: 1, width: nx }, scales);
      return x;
    });
    const whole = await runPlanes(model.session, planes, INPAINT_CHANNELS, nz, nx, { tile: 512, overlap: 0, batchSize: 2 });
    const tiled = await runPlanes(model.session, planes, INPAINT_CHANNELS, nz, nx, { tile: 48, overlap: 24, batchSize: 3 });
    let maxDiff = 0;
    let signFlips = 0;
    whole.forEach((w, p) =>
      w.forEach((v, i) => {
        maxDiff = Math.max(maxDiff, Math.abs(v - tiled[p][i]));
        if (v > 0 !== tiled[p][i] > 0) signFlips++;
      }),
    );
    expect(maxDiff).toBeGreaterThan(0); // several tiles really ran
    expect(maxDiff).toBeLessThan(0.5);
    expect(signFlips).toBeLessThan(0.002 * 4 * nz * nx);
  });

  it('refuses a segmentation model and grey data with a message saying what to do; cancel stops it', async () => {
    const seg = await loadModel(join(MODELS, 'unet2d-2kv.onnx'), { ep: 'cpu' });
    const rep = heldOut(1103, 32, 12);
    try {
      await expect(fillGapsMl(rep, { model: seg })).rejects.toMatchObject({ tag: 'invalid_input', message: expect.stringMatching(/not an inpainting model/) });
    } finally {
      await seg.session.release();
    }
    // Grey data (more than two values; a two-valued mask such as 0/200 would be read as labels).
    const grey: RepositionedVolume = { ...rep, volume: { ...rep.volume, slices: rep.volume.slices.map((s) => s.map((v, i) => v * 200 + (i % 3))) } };
    await expect(fillGapsMl(grey, { model })).rejects.toMatchObject({ tag: 'invalid_input', message: expect.stringMatching(/segment the stack first/) });
    const ac = new AbortController();
    ac.abort();
    await expect(fillGapsMl(rep, { model, signal: ac.signal })).rejects.toMatchObject({ tag: 'cancelled' });
  });
});
