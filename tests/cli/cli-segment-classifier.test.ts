// fibrecon segment --method pixel-classifier on a stack from the independent
// simulator (training/indep_sim: a structure and forward model the app did not make):
// sparse annotations painted from the truth on 3 slices are imported with
// `fibrecon annotate`, the classifier learns from them, and its labels on the slices
// nobody painted are checked against the truth and against Otsu's; the accuracy
// estimate, the uncertainty map, the stored classifier with its annotation version,
// a rerun that gives the same labels, and the refusals.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPython } from '../helpers/python';
import { makeIndepStack } from '../helpers/indep-sim';
import { SimulatedAnnotator } from '../helpers/simulated-annotator';
import { scoreSlices } from '../helpers/classifier-evaluation';
import { channelFromVolume, FeatureWorkspace } from '../../src-main/segment/pixel-features';
import { predictSlice, trainPixelClassifier } from '../../src-main/segment/trained-classifier/pixel-classifier';
import { cli, cliOk } from './run-cli';

const [NZ, NY, NX] = [16, 64, 64];
const PAINTED = [3, 8, 13];
let stack: ReturnType<typeof makeIndepStack>;
let project: string;

/** Labels of a stored volume, read back by exporting it as raw MetaImage. */
async function storedLabels(name: string): Promise<Uint8Array[]> {
  const out = join(stack.dir, `${name}-${Date.now()}.mhd`);
  await cliOk(['export', project, '--volume', name, '--out', out]);
  const raw = readFileSync(out.replace(/\.mhd$/, '.raw'));
  return Array.from({ length: NZ }, (_, z) => new Uint8Array(raw.subarray(z * NY * NX, (z + 1) * NY * NX)));
}

beforeAll(async () => {
  stack = makeIndepStack({ family: 'spinodal', seed: 21, shape: [NZ, NY, NX], kv: 2, featurePx: 10 });
  project = join(stack.dir, 'p.fibrecon');
  await cliOk(['create', project]);
  await cliOk(['import', project, join(stack.dir, 'grey.tif'), '--name', 'grey']);
  // A user's strokes, as in the app: interior strokes, then two rounds over the largest errors of the
  // classifier's own result (trained in-process on the same stack, as the app's preview does).
  const user = new SimulatedAnnotator({ ny: NY, nx: NX, slices: PAINTED, budget: Math.floor(0.02 * PAINTED.length * NY * NX), seed: 3 }, (z) => stack.truth[z]);
  user.interiorStrokes(3, 8);
  const channels = [channelFromVolume(stack.grey)];
  for (let round = 0; round < 2; round++) {
    const c = trainPixelClassifier(channels, user.samples(), { crossValidate: false }).classifier;
    const ws = new FeatureWorkspace();
    const pred = new Map(PAINTED.map((z) => [z, predictSlice(c, channels, z, ws).labels]));
    user.correct((z) => pred.get(z)!, 10, 6);
  }
  const sparse = new Uint8Array(NZ * NY * NX);
  for (const [z, plane] of user.planes) sparse.set(plane, z * NY * NX);
  writeFileSync(join(stack.dir, 'sparse.raw'), sparse);
  runPython(
    `import sys, numpy as np, tifffile
a = np.fromfile(sys.argv[1], np.uint8).reshape(${NZ}, ${NY}, ${NX})
tifffile.imwrite(sys.argv[2], a)`,
    [join(stack.dir, 'sparse.raw'), join(stack.dir, 'sparse.tif')],
  );
}, 120_000);
afterAll(() => stack?.cleanup());

describe('fibrecon segment --method pixel-classifier', () => {
  it('refuses without annotations, saying how to add them; nothing is written', async () => {
    const r = await cli(['segment', project, '--volume', 'grey', '--method', 'pixel-classifier', '--out', 'cls']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has no annotations yet: paint pore and solid strokes .* or import them with fibrecon annotate/);
    const runs = JSON.parse(await cliOk(['info', project, '--runs', '--json'])).runs as { step: string }[];
    expect(runs.map((r) => r.step)).toEqual(['import']);
  });

  it('learns from imported annotations: beats Otsu on the slices nobody painted, with an estimate, an uncertainty map and the classifier stored', async () => {
    await cliOk(['annotate', project, '--volume', 'grey', '--labels', join(stack.dir, 'sparse.tif')]);
    const r = await cli(['segment', project, '--volume', 'grey', '--method', 'pixel-classifier', '--out', 'cls']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Wrote "cls": 16 slices of labels \(1 = solid\), solid fraction [\d.]+ %, by the pixel classifier \(annotation version \d+\)\./);
    expect(r.stdout).toMatch(/Accuracy from the annotations alone: estimated MP [\d.]+ % of the voxels \(.*\); on the held-out painted pixels themselves MP [\d.]+ %, MGP [\d.]+ %, mIoU 0\.\d{3} \(\d+ pixels;/);
    expect(r.stdout).toMatch(/Least sure on slices \d+ \([\d.]+ %\), \d+ .*the map is "cls-uncertainty"/);
    await cliOk(['segment', project, '--volume', 'grey', '--method', 'otsu', '--out', 'otsu']);

    const heldOut = Array.from({ length: NZ }, (_, z) => z).filter((z) => !PAINTED.includes(z));
    const cls = await storedLabels('cls');
    const otsu = await storedLabels('otsu');
    const truth = (z: number) => stack.truth[z];
    const mine = scoreSlices((z) => cls[z], truth, heldOut);
    const theirs = scoreSlices((z) => otsu[z], truth, heldOut);
    expect(mine.mp).toBeLessThan(theirs.mp);
    for (const s of cls) for (const v of s) expect(v === 0 || v === 1).toBe(true);

    const db = new Database(project, { readonly: true });
    try {
      const row = db.prepare('SELECT annotation_version, classifier_json, estimate_json, source_volumes_json FROM classifier').get() as Record<string, string | number>;
      expect(JSON.parse(row.source_volumes_json as string)).toEqual(['grey']);
      const version = JSON.parse(await cliOk(['annotate', project, '--volume', 'grey', '--json'])).version;
      expect(row.annotation_version).toBe(version);
      expect(JSON.parse(row.classifier_json as string)).toMatchObject({ format: 'fibrecon-pixel-classifier', version: 1 });
      expect(JSON.parse(row.estimate_json as string).scheme).toBe('leave-one-slice-out');
      const u = db.prepare("SELECT kind, dtype FROM volume WHERE name = 'cls-uncertainty'").get();
      expect(u).toEqual({ kind: 'probability', dtype: 'uint8' });
    } finally {
      db.close();
    }
  }, 120_000);

  it('a rerun on the same annotation version gives the same labels, bit for bit', async () => {
    await cliOk(['segment', project, '--volume', 'grey', '--method', 'pixel-classifier', '--out', 'cls2']);
    const a = await storedLabels('cls');
    const b = await storedLabels('cls2');
    a.forEach((s, z) => expect(Buffer.from(b[z]).equals(Buffer.from(s))).toBe(true));
  }, 120_000);

  it('refuses a label volume and an output name in use, naming what to do', async () => {
    const r = await cli(['segment', project, '--volume', 'otsu', '--method', 'pixel-classifier', '--out', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/(labels volume: the pixel classifier learns from grey images|annotat)/);
    const again = await cli(['segment', project, '--volume', 'grey', '--method', 'pixel-classifier', '--out', 'cls']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a volume named "cls"/);
  });
});
