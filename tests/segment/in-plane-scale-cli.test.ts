// `fibrecon segment --method model` on a stack at twice the trained pixel scale: the run
// resamples it in-plane by 1/2 (default), says so in its output, its result (--json), the
// label volume's convention and the run's log; the labels have the stack's own shape;
// --no-rescale runs the model on the stack's own pixels and records that it did. The
// Segmentation step's preview of a slice follows the same decision, and the model's
// out-of-distribution check looks at the stack at the scale the model sees.
// The stack: the app's generator at the trained 2.5 nm pixels (seed 100, 2 kV TLD, 8 x 64
// x 64), every slice enlarged 2 x by repeating each pixel 2 x 2: its mean Otsu chord is
// about twice the card's.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../src-shared/volume';
import { readTiffVolume } from '../../src-main/import/read-tiff-volume';
import { openProject } from '../../src-main/project/open-project';
import { previewStoredSegmentation, type SegmentPreviewResult } from '../../src-main/segment/segment-preview';
import { getVolume, readSlice } from '../../src-main/project/volume-store';
import { writeTiffStack } from '../../src-main/tiff-write';
import { hnpgPreset, writeSyntheticSample } from '../../src-main/synth/write-synthetic-sample';
import { cli, cliOk } from '../cli/run-cli';
import { tempDir } from '../helpers/python';

const tmp = tempDir('fibrecon-scale-cli-');
const project = join(tmp.dir, 'p.fibrecon');
let native: Volume;

function repeat2(s: ArrayLike<number>, ny: number, nx: number): Uint8Array {
  const out = new Uint8Array(4 * ny * nx);
  for (let y = 0; y < 2 * ny; y++) for (let x = 0; x < 2 * nx; x++) out[y * 2 * nx + x] = s[(y >> 1) * nx + (x >> 1)];
  return out;
}

async function stored(name: string, z: number): Promise<{ shape: number[]; slice: Uint8Array }> {
  const p = openProject(project, { write: false });
  try {
    const v = getVolume(p.db, name);
    return { shape: [...v.shape], slice: (await readSlice(p.db, v, z)) as Uint8Array };
  } finally {
    p.close();
  }
}

async function preview(z: number, rescale?: boolean): Promise<SegmentPreviewResult> {
  const p = openProject(project, { write: false });
  try {
    return await previewStoredSegmentation(p.db, { volume: 'big', z, method: 'model', model: 'unet25d-w7-2kv', ep: 'cpu', ...(rescale === undefined ? {} : { rescale }) });
  } finally {
    p.close();
  }
}

interface Ood {
  score: number;
  outOfDepth: boolean | null;
  structure: { otsuChordPx: number; pixelNm: number };
}

interface RunJson {
  step: string;
  params: Record<string, unknown>;
  log: string;
}

beforeAll(async () => {
  const params = hnpgPreset({ columns: 64, rows: 64, slices: 8, seed: 100 });
  params.beams = [{ energyKeV: 2, detector: 'TLD' }];
  params.rulerRows = 0;
  const sample = await writeSyntheticSample(join(tmp.dir, 'native'), params);
  native = await readTiffVolume([sample.files.stacks[0].path]);
  const [nz, ny, nx] = native.shape;
  await writeTiffStack(
    join(tmp.dir, 'big.tif'),
    { shape: [nz, 2 * ny, 2 * nx], dtype: 'uint8', voxelSizeNm: { x: 1.25, y: 1.25, z: 10 } },
    native.slices.map((s) => repeat2(s, ny, nx)),
  );
  await cliOk(['create', project]);
  await cliOk(['import', project, join(tmp.dir, 'big.tif'), '--name', 'big']);
}, 120_000);
afterAll(() => tmp.cleanup());

describe('fibrecon segment: in-plane rescaling of a model run', () => {
  it('resamples a 2x stack by 1/2 and records it; --no-rescale does not', async () => {
    const r = await cli(['segment', project, '--volume', 'big', '--method', 'model', '--model', 'unet25d-w7-2kv', '--ep', 'cpu', '--out', 'r', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const on = JSON.parse(r.stdout) as { slices: number; convention: string; rescale: { factor: number; measuredChordPx: number; trainedChordPx: number[]; sentence: string }; ood: Ood };
    expect(on.rescale.factor).toBe(0.5);
    expect(on.rescale.trainedChordPx).toEqual([14.2, 17.2]);
    expect(on.rescale.measuredChordPx).toBeGreaterThan(1.35 * 17.2);
    expect(on.rescale.sentence).toMatch(/^resampled in-plane by 0\.5x to the trained feature size: measured chord \d+\.\d px vs trained 14\.2-17\.2 px/);
    expect(on.convention).toContain('resampled in-plane by 0.5x');

    const text = await cliOk(['segment', project, '--volume', 'big', '--method', 'model', '--model', 'unet25d-w7-2kv', '--ep', 'cpu', '--out', 't']);
    expect(text).toMatch(/^In-plane scale: resampled in-plane by 0\.5x to the trained feature size/m);

    const off = await cli(['segment', project, '--volume', 'big', '--method', 'model', '--model', 'unet25d-w7-2kv', '--ep', 'cpu', '--out', 'n', '--no-rescale', '--json']);
    expect(off.code, off.stderr).toBe(0);
    const plain = JSON.parse(off.stdout) as { rescale?: unknown; convention: string; ood: Ood };
    expect(plain.rescale).toBeUndefined();
    expect(plain.convention).not.toContain('resampled');
    // The out-of-distribution check looks at the stack as the model sees it: 2.5 nm pixels resampled, 1.25 nm not.
    console.log(`OOD score: resampled ${on.ood.score.toFixed(4)}, as it is ${plain.ood.score.toFixed(4)}; chord ${on.ood.structure.otsuChordPx.toFixed(1)} vs ${plain.ood.structure.otsuChordPx.toFixed(1)} px`);
    expect(on.ood.structure.pixelNm).toBeCloseTo(2.5, 10);
    expect(plain.ood.structure.pixelNm).toBeCloseTo(1.25, 10);
    expect(on.ood.structure.otsuChordPx).toBeLessThan(0.7 * plain.ood.structure.otsuChordPx);
    // And at that scale the model is at home (calibrated threshold 0.014), as it is not on the 2x pixels.
    expect(on.ood.outOfDepth).toBe(false);
    expect(plain.ood.outOfDepth).toBe(true);

    const runs = (JSON.parse(await cliOk(['info', project, '--runs', '--json'])) as { runs: RunJson[] }).runs.filter((x) => x.step === 'segment');
    expect(runs.map((x) => x.params.rescale)).toEqual([true, true, false]);
    expect(runs[0].log).toMatch(/^In-plane scale: resampled in-plane by 0\.5x/m);
    expect(runs[0].log).toMatch(/^rescale \{"factor":0\.5,/m);
    expect(runs[2].log).not.toContain('In-plane scale');

    const [nz, ny, nx] = native.shape;
    // Slice 3 of 8: the window of 7 needs no reflection, so the preview equals the run's slice.
    const a = await stored('r', 3);
    const b = await stored('n', 3);
    expect(a.shape).toEqual([nz, 2 * ny, 2 * nx]);
    expect(b.shape).toEqual([nz, 2 * ny, 2 * nx]);
    expect(a.slice.length).toBe(4 * ny * nx);
    expect(Buffer.compare(Buffer.from(a.slice), Buffer.from(b.slice))).not.toBe(0);

    // The Segmentation step's preview decides and resamples as the run does.
    const pa = await preview(3);
    expect(pa.rescale?.factor).toBe(0.5);
    expect(pa.convention).toContain('resampled in-plane by 0.5x');
    expect(Buffer.compare(Buffer.from(pa.labels), Buffer.from(a.slice))).toBe(0);
    const pb = await preview(3, false);
    expect(pb.rescale).toBeUndefined();
    expect(Buffer.compare(Buffer.from(pb.labels), Buffer.from(b.slice))).toBe(0);
  }, 180_000);

  it('method auto checks the default model at the scale the run would use: the model on the 2x stack, a classical method with --no-rescale', async () => {
    const r = await cli(['segment', project, '--volume', 'big', '--method', 'auto', '--ep', 'cpu', '--out', 'auto-on', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const on = JSON.parse(r.stdout) as { method: string; auto: { method: string; basis: string; evidence: { model?: { outOfDepth: boolean | null } } }; rescale?: { factor: number } };
    expect(on.auto.basis).toBe('ood-check');
    expect(on.auto.evidence.model?.outOfDepth).toBe(false);
    expect(on.method).toBe('model');
    expect(on.rescale?.factor).toBe(0.5);

    const off = await cli(['segment', project, '--volume', 'big', '--method', 'auto', '--ep', 'cpu', '--out', 'auto-off', '--no-rescale', '--json']);
    expect(off.code, off.stderr).toBe(0);
    const plain = JSON.parse(off.stdout) as { method: string; auto: { basis: string; evidence: { model?: { outOfDepth: boolean | null } } } };
    expect(plain.auto.evidence.model?.outOfDepth).toBe(true);
    expect(['otsu', 'kmeans']).toContain(plain.method);
  }, 180_000);
});
