// The default model (unet25d-w7-2kv) on a stack at another pixel scale than it was
// trained on, with and without in-plane rescaling (src-main/segment/scale). A held-out
// stack (structure seed 100, 2 kV TLD, 16 x 128 x 128 at the trained 2.5 nm pixels) is
// made by the app's generator; from it, by exact factors:
// - 2x: every slice enlarged 2 x by linear interpolation (pixel centres at (i + 1/2),
//   edges held: written out here, not the resampler under test), the truth by repeating
//   every pixel 2 x 2: the same structure at 1.25 nm pixels;
// - 0.5x: every 2 x 2 block of grey values averaged, the truth by 2 x 2 majority: the
//   same structure at 5 nm pixels. A block of two solid and two pore pixels has no true
//   label; it is left out of MP (the result is set to 0 = pore on it, and so is the truth).
// The scale is decided as a model run decides it (decideStackScale on the grey stack) and
// the model runs through segmentStackRescaled, the function the segmentation step calls.
// MP = misclassified percentage against the truth (src-main/metrics compareToTruth).
// Measured here: native 0.62 %; 2x 4.77 % as it is, 1.02 % resampled by 1/2; 0.5x 1.57 %
// as it is, 1.12 % enlarged by 2.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../src-shared/volume';
import { readTiffVolume } from '../../src-main/import/read-tiff-volume';
import { loadModel, type LoadedModel } from '../../src-main/inference/load-model';
import { compareToTruth } from '../../src-main/metrics';
import { modelsDir } from '../../src-main/segment/model-files';
import { describeInPlaneScale } from '../../src-main/segment/scale/in-plane-scale';
import { segmentStackRescaled } from '../../src-main/segment/scale/rescaled-run';
import { decideStackScale } from '../../src-main/segment/scale/stack-scale';
import { hnpgPreset, writeSyntheticSample } from '../../src-main/synth/write-synthetic-sample';

let dir: string;
let model: LoadedModel;
let grey: Volume;
let truth: Volume;

/** Slice enlarged 2 x by linear interpolation between pixel centres, edge values held, rounded. */
function enlarge2(s: ArrayLike<number>, ny: number, nx: number): Uint8Array {
  const my = 2 * ny;
  const mx = 2 * nx;
  const out = new Uint8Array(my * mx);
  const at = (i: number, n: number): [number, number, number] => {
    const x = Math.min(n - 1, Math.max(0, (i + 0.5) / 2 - 0.5));
    const j = Math.floor(x);
    return [j, Math.min(n - 1, j + 1), x - j];
  };
  for (let y = 0; y < my; y++) {
    const [y0, y1, fy] = at(y, ny);
    for (let x = 0; x < mx; x++) {
      const [x0, x1, fx] = at(x, nx);
      const top = (1 - fx) * s[y0 * nx + x0] + fx * s[y0 * nx + x1];
      const bottom = (1 - fx) * s[y1 * nx + x0] + fx * s[y1 * nx + x1];
      out[y * mx + x] = Math.round((1 - fy) * top + fy * bottom);
    }
  }
  return out;
}

function repeat2(s: ArrayLike<number>, ny: number, nx: number): Uint8Array {
  const out = new Uint8Array(4 * ny * nx);
  for (let y = 0; y < 2 * ny; y++) for (let x = 0; x < 2 * nx; x++) out[y * 2 * nx + x] = s[(y >> 1) * nx + (x >> 1)];
  return out;
}

/** Sums of 2 x 2 blocks. */
function blockSums(s: ArrayLike<number>, ny: number, nx: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < ny; y += 2) for (let x = 0; x < nx; x += 2) out.push(s[y * nx + x] + s[y * nx + x + 1] + s[(y + 1) * nx + x] + s[(y + 1) * nx + x + 1]);
  return out;
}

function scaled(v: Volume, shape: [number, number], slices: Uint8Array[]): Volume {
  return { ...v, shape: [v.shape[0], shape[0], shape[1]], slices };
}

async function runMP(g: Volume, t: Volume, factor: number, ties?: Uint8Array[]): Promise<number> {
  const out: Uint8Array[] = new Array(g.shape[0]);
  await segmentStackRescaled(model, g.shape, (z) => g.slices[z], (z, labels) => void (out[z] = labels), factor, { probabilities: false });
  for (const [z, l] of out.entries()) {
    expect(l.length).toBe(g.shape[1] * g.shape[2]);
    if (ties) for (let i = 0; i < l.length; i++) if (ties[z][i]) l[i] = 0;
  }
  return compareToTruth({ ...t, slices: out }, t).misplacedPercent;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fibrecon-scale-'));
  const params = hnpgPreset({ columns: 128, rows: 128, slices: 16, seed: 100 });
  params.beams = [{ energyKeV: 2, detector: 'TLD' }];
  params.rulerRows = 0;
  const sample = await writeSyntheticSample(dir, params);
  grey = await readTiffVolume([sample.files.stacks[0].path]);
  truth = await readTiffVolume([sample.files.truth]);
  model = await loadModel(join(modelsDir(), 'unet25d-w7-2kv.onnx'), { ep: 'cpu' });
}, 60_000);
afterAll(async () => {
  await model?.session.release();
  rmSync(dir, { recursive: true, force: true });
});

describe('unet25d-w7-2kv at 2x and 0.5x the trained pixel scale', () => {
  it('rescaled to the trained feature size, the 2x and 0.5x stacks come within 1 point of the native MP; as they are, they are worse', async () => {
    const [, ny, nx] = grey.shape;
    const trained = model.card.trainedRange!.otsuChordPx!;
    const decide = (v: Volume) => decideStackScale((z) => v.slices[z], v.shape, trained);

    const native = await decide(grey);
    expect(native.factor).toBe(1);
    const mpNative = await runMP(grey, truth, native.factor);

    const g2 = scaled(grey, [2 * ny, 2 * nx], grey.slices.map((s) => enlarge2(s, ny, nx)));
    const t2 = scaled(truth, [2 * ny, 2 * nx], truth.slices.map((s) => repeat2(s, ny, nx)));
    const at2 = await decide(g2);
    const mp2As = await runMP(g2, t2, 1);
    const mp2Re = await runMP(g2, t2, at2.factor);

    const ties: Uint8Array[] = truth.slices.map((s) => Uint8Array.from(blockSums(s, ny, nx), (n) => (n === 2 ? 1 : 0)));
    const g05 = scaled(grey, [ny / 2, nx / 2], grey.slices.map((s) => Uint8Array.from(blockSums(s, ny, nx), (n) => Math.round(n / 4))));
    const t05 = scaled(truth, [ny / 2, nx / 2], truth.slices.map((s) => Uint8Array.from(blockSums(s, ny, nx), (n) => (n >= 3 ? 1 : 0))));
    const at05 = await decide(g05);
    const mp05As = await runMP(g05, t05, 1, ties);
    const mp05Re = await runMP(g05, t05, at05.factor, ties);

    const tieShare = ties.reduce((a, s) => a + s.reduce((b, v) => b + v, 0), 0) / (ties.length * ties[0].length);
    console.log(
      `MP %: native ${mpNative.toFixed(3)} (${describeInPlaneScale(native)})\n` +
        `  2x: as it is ${mp2As.toFixed(3)}, rescaled ${mp2Re.toFixed(3)} (${describeInPlaneScale(at2)})\n` +
        `  0.5x: as it is ${mp05As.toFixed(3)}, rescaled ${mp05Re.toFixed(3)} (${describeInPlaneScale(at05)}; ${(100 * tieShare).toFixed(1)} % tied blocks left out)`,
    );
    expect(mpNative).toBeLessThan(1);
    // 2x: the measured chord is about twice the trained one; the run is resampled by 1/2.
    expect(at2.factor).toBe(1 / 2);
    expect(at2.measuredChordPx).toBeGreaterThan(1.5 * trained[1]);
    expect(mp2Re).toBeLessThan(mpNative + 1);
    expect(mp2As).toBeGreaterThan(mp2Re + 2);
    // 0.5x: the chord is below the range by more than the tolerance; enlarged by 2, the
    // model comes within 1 point of the native MP and below its MP on the stack as it is.
    expect(at05.factor).toBe(2);
    expect(at05.measuredChordPx).toBeLessThan(trained[0] / 1.35);
    expect(mp05Re).toBeLessThan(mpNative + 1);
    expect(mp05As).toBeGreaterThan(mp05Re + 0.2);
  }, 120_000);
});
