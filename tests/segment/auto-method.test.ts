// The out-of-distribution warning and method auto on two stacks, as the app and the CLI
// run them (runJob): a stack of the independent simulator (spinodal, 2 kV TLD), where
// the shipped 2.5D model is worse than Otsu, and a stack of the app's own HNPG preset on
// a held-out structure seed, where it is far better. On the first the model's run carries
// the warning and auto runs a classical method that beats the model against the truth;
// on the second there is no warning and auto runs the model. The check's Otsu solid
// fraction and the MPs are checked with scikit-image / numpy on the same voxels.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../src-shared/volume';
import { readTiffVolume } from '../../src-main/import/read-tiff-volume';
import { runJob } from '../../src-main/jobs/run-job';
import { createProject, openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { loadVolume, saveDerivedVolume } from '../../src-main/project/save-volume';
import { getVolume } from '../../src-main/project/volume-store';
import type { SegmentReport } from '../../src-main/segment/segment-volume';
import { hnpgPreset, writeSyntheticSample } from '../../src-main/synth/write-synthetic-sample';
import { makeIndepStack } from '../helpers/indep-sim';
import { runPython, tempDir } from '../helpers/python';

const MODEL = 'unet25d-w7-2kv';
const SHAPE = [16, 96, 96] as const;
const tmp = tempDir('fibrecon-auto-');
const project = join(tmp.dir, 'p.fibrecon');
const truths = new Map<string, Uint8Array[]>();

function crop(v: Volume, roi: { x: number; y: number; width: number; height: number }): Volume {
  const slices = v.slices.map((s) => {
    const out = new Uint8Array(roi.width * roi.height);
    for (let y = 0; y < roi.height; y++) out.set((s as Uint8Array).subarray((roi.y + y) * v.shape[2] + roi.x, (roi.y + y) * v.shape[2] + roi.x + roi.width), y * roi.width);
    return out;
  });
  return { ...v, shape: [v.shape[0], roi.height, roi.width], slices };
}

beforeAll(async () => {
  const indep = makeIndepStack({ family: 'spinodal', seed: 5, shape: SHAPE, kv: 2, detector: 'tld', fill: 'epoxy', dir: join(tmp.dir, 'indep') });
  const params = hnpgPreset({ slices: SHAPE[0], rows: SHAPE[1], columns: SHAPE[2], seed: 100 });
  params.beams = [{ energyKeV: 2, detector: 'TLD' }];
  const sample = await writeSyntheticSample(join(tmp.dir, 'hnpg'), params);
  const hnpgGrey = crop(await readTiffVolume([sample.files.stacks[0].path]), sample.roi);
  const hnpgTruth = await readTiffVolume([sample.files.truth]);
  createProject(project, { name: 'auto test', appVersion: 'test' }).close();
  const p = openProject(project, { write: true });
  const source = { x: 'test', y: 'test', z: 'test' };
  await saveDerivedVolume(p.db, indep.grey, { name: 'indep', kind: 'grey', voxelSizeSource: source });
  await saveDerivedVolume(p.db, hnpgGrey, { name: 'hnpg', kind: 'grey', voxelSizeSource: source });
  p.close();
  truths.set('indep', indep.truth);
  truths.set('hnpg', hnpgTruth.slices as Uint8Array[]);
}, 120_000);
afterAll(() => tmp.cleanup());

async function segment(volume: string, method: 'model' | 'auto', out: string): Promise<{ message: string; result: SegmentReport }> {
  const r = await runJob({ kind: 'segment', projectPath: project, appVersion: 'test', request: { volume, method, ...(method === 'model' ? { model: MODEL } : {}), ep: 'cpu', out } }, {});
  return { message: r.message, result: r.result as SegmentReport };
}

/** MP (%) of stored label volumes and of skimage's Otsu on the grey volume, against the truth (numpy); and Otsu's solid fraction. */
async function scores(grey: string, labels: string[]): Promise<{ otsu: number; otsuSolid: number; mp: number[] }> {
  const p = openProject(project, { write: false });
  try {
    const files = [grey, ...labels].map((name) => {
      const path = join(tmp.dir, `${name}.raw`);
      return loadVolume(p.db, name).then((v) => (writeFileSync(path, Buffer.concat(v.slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength)))), path));
    });
    const truthPath = join(tmp.dir, `${grey}-truth.raw`);
    writeFileSync(truthPath, Buffer.concat(truths.get(grey)!.map((s) => Buffer.from(s))));
    const out = runPython(
      `import sys, json, numpy as np
from skimage.filters import threshold_otsu
t = np.fromfile(sys.argv[1], np.uint8)
g = np.fromfile(sys.argv[2], np.uint8)
o = g > threshold_otsu(g)
mp = lambda l: float(100 * np.mean(l != t))
print(json.dumps({'otsu': mp(o), 'otsuSolid': float(o.mean()), 'mp': [mp(np.fromfile(f, np.uint8)) for f in sys.argv[3:]]}))`,
      [truthPath, ...(await Promise.all(files))],
    );
    return JSON.parse(out);
  } finally {
    p.close();
  }
}

function stored(name: string): { metadata: Record<string, unknown>; log: string } {
  const p = openProject(project, { write: false });
  try {
    const v = getVolume(p.db, name);
    const run = listRuns(p.db).find((r) => r.id === v.runId);
    return { metadata: v.metadata, log: run?.log ?? '' };
  } finally {
    p.close();
  }
}

describe('a stack the model was not made for (independent simulator, spinodal, 2 kV TLD)', () => {
  it('the model run is worse than Otsu and says so: in the result, the message, the volume and the run record', async () => {
    const { message, result } = await segment('indep', 'model', 'indep-model');
    const ood = result.ood!;
    const s = await scores('indep', ['indep-model']);
    console.log(`indep: model MP ${s.mp[0].toFixed(2)} %, Otsu ${s.otsu.toFixed(2)} %; OOD score ${ood.score.toFixed(4)} (threshold ${ood.threshold})`);
    expect(s.mp[0]).toBeGreaterThan(s.otsu); // the premise: the model fails here
    expect(ood.outOfDepth).toBe(true);
    expect(ood.score).toBeGreaterThan(ood.threshold!);
    // The 96 x 96 crop and two blocks of 8 slices cover the whole stack: Otsu's share there is skimage's over the stack.
    expect(ood.checked.slices).toBe(16);
    expect(ood.components.otsuSolidFraction).toBeCloseTo(s.otsuSolid, 10);
    expect(ood.sentence).toMatch(new RegExp(`^The model ${MODEL} looks out of its depth on this stack \\(OOD score \\d\\.\\d{3} > \\d\\.\\d{3}\\): its labels disagree with themselves under flips and rotation on \\d+\\.\\d % of the pixels`));
    expect(message).toContain(`Warning: ${ood.sentence}`);
    const { metadata, log } = stored('indep-model');
    expect((metadata.ood as { outOfDepth: boolean }).outOfDepth).toBe(true);
    expect(log).toContain(ood.sentence);
    expect(log).toMatch(/^ood \{"score":/m);
  }, 120_000);

  it('auto does not run the model; what it runs beats the model against the truth', async () => {
    const { message, result } = await segment('indep', 'auto', 'indep-auto');
    expect(result.method).not.toBe('model');
    expect(result.auto?.basis).toBe('boundary-contrast');
    expect(result.auto?.evidence.model?.outOfDepth).toBe(true);
    expect(message).toMatch(/by (otsu|kmeans)\. Chosen by auto: (Otsu|k-means): /);
    const s = await scores('indep', ['indep-model', 'indep-auto']);
    console.log(`indep: auto ran ${result.method}, MP ${s.mp[1].toFixed(2)} % (model ${s.mp[0].toFixed(2)} %, Otsu ${s.otsu.toFixed(2)} %)`);
    expect(s.mp[1]).toBeLessThan(s.mp[0]);
    const { metadata, log } = stored('indep-auto');
    expect((metadata.auto as { method: string }).method).toBe(result.method);
    expect(log).toMatch(new RegExp(`^auto chose ${result.method}: `, 'm'));
  }, 120_000);
});

describe("a stack of the app's own simulator (HNPG preset, held-out seed 100, 2 kV TLD)", () => {
  it('the model run carries no warning; auto runs the model, which beats Otsu against the truth', async () => {
    const model = await segment('hnpg', 'model', 'hnpg-model');
    expect(model.result.ood?.outOfDepth).toBe(false);
    expect(model.result.ood?.sentence).toMatch(new RegExp(`^The model ${MODEL} looks at home on this stack`));
    expect(model.message).not.toContain('Warning');
    const auto = await segment('hnpg', 'auto', 'hnpg-auto');
    expect(auto.result.method).toBe('model');
    expect(auto.result.model?.name).toBe(MODEL);
    expect(auto.result.auto?.basis).toBe('ood-check');
    expect(auto.message).toMatch(new RegExp(`by model "${MODEL}" on CPU .*Chosen by auto: model ${MODEL}: it looks at home on this stack`));
    const s = await scores('hnpg', ['hnpg-model', 'hnpg-auto']);
    console.log(`hnpg: model MP ${s.mp[0].toFixed(2)} %, auto ${s.mp[1].toFixed(2)} %, Otsu ${s.otsu.toFixed(2)} %; OOD score ${model.result.ood?.score.toFixed(4)}`);
    expect(s.mp[1]).toBe(s.mp[0]);
    expect(s.mp[1]).toBeLessThan(s.otsu / 3);
  }, 120_000);
});
