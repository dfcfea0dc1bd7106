// `fibrecon segment`: classical methods and ONNX models on a synthetic FIB stack
// stored in a project; labels checked against scikit-image's thresholds on the same
// voxels and against the model's own formula; the run records the method, the
// execution provider and why; a broken model leaves no volume behind.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { getVolume, listVolumes, readSlice } from '../../src-main/project/volume-store';
import { buildTestModels, type TestModels } from '../fixtures/onnx/models';
import { runPython, tempDir } from '../helpers/python';
import { cli, cliOk } from './run-cli';

let root: string;
let cleanup: () => void;
let models: TestModels;
let project: string;
let grey: Uint8Array[];

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  models = buildTestModels();
  const synth = JSON.parse(await cliOk(['synth', join(root, 's'), '--columns', '64', '--rows', '48', '--slices', '6', '--seed', '3', '--kv', '2', '--dtype', 'uint8', '--json']));
  const { x, y, width, height } = synth.roi;
  project = join(root, 'p.fibrecon');
  await cliOk(['create', project]);
  await cliOk(['import', project, synth.files.stacks[0].path, '--name', '2kV', '--crop', `${x},${y},${width},${height}`]);
  const p = openProject(project, { write: false });
  const v = getVolume(p.db, '2kV');
  grey = [];
  for (let z = 0; z < v.shape[0]; z++) grey.push((await readSlice(p.db, v, z)) as Uint8Array);
  p.close();
}, 120_000);
afterAll(() => {
  models.cleanup();
  cleanup();
});

async function labels(name: string): Promise<Uint8Array[]> {
  const p = openProject(project, { write: false });
  const v = getVolume(p.db, name);
  expect(v.kind).toBe('labels');
  const out: Uint8Array[] = [];
  for (let z = 0; z < v.shape[0]; z++) out.push((await readSlice(p.db, v, z)) as Uint8Array);
  p.close();
  return out;
}

/** skimage thresholds over all voxels of the stack: [otsu, multiotsu t1, t2]. */
function skimageThresholds(): number[] {
  const { dir, cleanup: done } = tempDir();
  try {
    writeFileSync(join(dir, 'v.raw'), Buffer.concat(grey.map((s) => Buffer.from(s))));
    const out = runPython(
      `import sys, numpy as np
from skimage.filters import threshold_otsu, threshold_multiotsu
v = np.fromfile(sys.argv[1], np.uint8)
print(threshold_otsu(v), *threshold_multiotsu(v, classes=3))`,
      [join(dir, 'v.raw')],
    );
    return out.trim().split(/\s+/).map(Number);
  } finally {
    done();
  }
}

describe('fibrecon segment', () => {
  it('otsu and multi-otsu: labels are value > the skimage threshold (multi-otsu: only the brightest class solid)', async () => {
    const [otsu, , t2] = skimageThresholds();
    const out = await cliOk(['segment', project, '--volume', '2kV', '--method', 'otsu']);
    expect(out).toMatch(/Wrote "2kV-otsu": 6 slices of labels \(1 = solid\), solid fraction \d+\.\d\d %/);
    const j = JSON.parse(await cliOk(['segment', project, '--volume', '2kV', '--method', 'multi-otsu', '--json']));
    expect(j.thresholds).toHaveLength(2);
    expect(j.thresholds[1]).toBe(t2);
    const a = await labels('2kV-otsu');
    const b = await labels('2kV-multi-otsu');
    let solidA = 0;
    grey.forEach((s, z) =>
      s.forEach((g, i) => {
        expect(a[z][i]).toBe(g > otsu ? 1 : 0);
        expect(b[z][i]).toBe(g > t2 ? 1 : 0);
        solidA += a[z][i];
      }),
    );
    expect(solidA).toBeGreaterThan(0);
    expect(j.solidFraction).toBeLessThan(solidA / (grey.length * grey[0].length));
  }, 120_000);

  it('an ONNX model by path: labels from the model, run on the CPU with the reason recorded', async () => {
    // pointwise: probability sigmoid(0.05 (x - 100)) >= 0.5, i.e. grey >= 100.
    const j = JSON.parse(await cliOk(['segment', project, '--volume', '2kV', '--method', 'model', '--model', models.path('pointwise'), '--out', 'ml', '--json']));
    expect(j.model.ep).toBe('cpu');
    expect(j.model.reason).toMatch(/CUDA/);
    const m = await labels('ml');
    grey.forEach((s, z) => s.forEach((g, i) => expect(m[z][i]).toBe(g >= 100 ? 1 : 0)));
    const p = openProject(project, { write: false });
    const run = listRuns(p.db).filter((r) => r.step === 'segment').at(-1);
    expect(run?.status).toBe('done');
    expect(JSON.stringify(run?.params)).toContain('"ep":"cpu"');
    p.close();
  }, 120_000);

  it('a broken model file or an unknown name: a clear error and nothing written', async () => {
    const broken = join(root, 'broken.onnx');
    writeFileSync(broken, 'this is not an ONNX model');
    copyFileSync(models.path('pointwise').replace(/\.onnx$/, '.json'), join(root, 'broken.json'));
    const before = await (async () => {
      const p = openProject(project, { write: false });
      const n = listVolumes(p.db).length;
      p.close();
      return n;
    })();
    const r = await cli(['segment', project, '--volume', '2kV', '--method', 'model', '--model', broken, '--out', 'bad']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.onnx/);
    const u = await cli(['segment', project, '--volume', '2kV', '--method', 'model', '--model', 'no-such-model', '--out', 'bad']);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('There is no model named "no-such-model"');
    const p = openProject(project, { write: false });
    expect(listVolumes(p.db).length).toBe(before);
    p.close();
  }, 120_000);

  it('usage errors exit 2', async () => {
    expect((await cli(['segment', project, '--volume', '2kV', '--method', 'watershed'])).code).toBe(2);
    expect((await cli(['segment', project, '--volume', '2kV', '--method', 'model'])).code).toBe(2);
    expect((await cli(['segment', project, '--volume', '2kV', '--method', 'otsu', '--ep', 'gpu'])).code).toBe(2);
  }, 60_000);
});
