// Method auto with the user's annotations. On a stack of the independent simulator
// (spinodal, 2 kV TLD) the measurements alone (the default model's out-of-distribution
// check, then Otsu vs k-means by boundary contrast) pick a classical threshold. A
// simulated user (tests/helpers/simulated-annotator.ts, painting from the truth) then
// paints pore and solid on three slices, strokes inside each phase and over the largest
// errors of that result, as one would after looking at it. Auto run again scores every
// method on those annotations (as `fibrecon compare`), runs the one with the lowest MP
// and says so; against the truth, on the slices nobody painted, it beats what the
// measurements chose. The recorded scores are checked against scikit-image's Otsu and
// numpy on the painted pixels; half-painted or stale annotations are not used.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodScore } from '../../src-shared/contract';
import { runJob } from '../../src-main/jobs/run-job';
import { setSliceAnnotation } from '../../src-main/project/annotation-store';
import { createProject, openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { loadVolume, saveDerivedVolume } from '../../src-main/project/save-volume';
import { getVolume } from '../../src-main/project/volume-store';
import { annotationsForAuto, type AutoRecord } from '../../src-main/segment/auto-segment';
import type { SegmentReport } from '../../src-main/segment/segment-volume';
import { previewStoredSegmentation } from '../../src-main/segment/segment-preview';
import { channelFromVolume, FeatureWorkspace } from '../../src-main/segment/pixel-features';
import { predictSlice, trainPixelClassifier } from '../../src-main/segment/trained-classifier/pixel-classifier';
import { cli } from '../cli/run-cli';
import { makeIndepStack, type IndepStack } from '../helpers/indep-sim';
import { runPython, tempDir } from '../helpers/python';
import { SimulatedAnnotator } from '../helpers/simulated-annotator';

const [NZ, NY, NX] = [16, 64, 64];
const PAINTED = [3, 8, 13];
const tmp = tempDir('fibrecon-auto-annotations-');
const project = join(tmp.dir, 'p.fibrecon');
let stack: IndepStack;

beforeAll(async () => {
  stack = makeIndepStack({ family: 'spinodal', seed: 21, shape: [NZ, NY, NX], kv: 2, detector: 'tld', fill: 'epoxy', featurePx: 10, dir: join(tmp.dir, 'indep') });
  createProject(project, { name: 'auto with annotations', appVersion: 'test' }).close();
  const p = openProject(project, { write: true });
  await saveDerivedVolume(p.db, stack.grey, { name: 'grey', kind: 'grey', voxelSizeSource: { x: 'test', y: 'test', z: 'test' } });
  p.close();
}, 120_000);
afterAll(() => tmp.cleanup());

async function autoJob(out: string): Promise<{ message: string; result: SegmentReport }> {
  const r = await runJob({ kind: 'segment', projectPath: project, appVersion: 'test', request: { volume: 'grey', method: 'auto', ep: 'cpu', out } }, {});
  return { message: r.message, result: r.result as SegmentReport };
}

async function labelsOf(name: string): Promise<Uint8Array[]> {
  const p = openProject(project, { write: false });
  try {
    return (await loadVolume(p.db, name)).slices as Uint8Array[];
  } finally {
    p.close();
  }
}

function stored(name: string): { metadata: Record<string, unknown>; log: string } {
  const p = openProject(project, { write: false });
  try {
    const v = getVolume(p.db, name);
    return { metadata: v.metadata, log: listRuns(p.db).find((r) => r.id === v.runId)?.log ?? '' };
  } finally {
    p.close();
  }
}

const raw = (name: string, slices: Uint8Array[]): string => {
  const path = join(tmp.dir, `${name}.raw`);
  writeFileSync(path, Buffer.concat(slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength))));
  return path;
};

let rule: SegmentReport;
let annotations: Uint8Array[];

describe('auto on a stack of the independent simulator, before and after the user paints', () => {
  it('without annotations the measurements decide (model check, then Otsu vs k-means)', async () => {
    const { result } = await autoJob('rule');
    rule = result;
    expect(['otsu', 'kmeans']).toContain(result.method);
    expect(result.auto?.basis).toBe('boundary-contrast');
    expect(result.auto?.evidence.annotationScores).toBeUndefined();
    expect(result.auto?.annotationsNotUsed).toBeUndefined();
    expect(stored('rule').log).not.toMatch(/annotations/);
    // The Segmentation step's preview of auto says what it would run, as the run did.
    const p = openProject(project, { write: false });
    try {
      const preview = await previewStoredSegmentation(p.db, { volume: 'grey', z: 5, method: 'auto', ep: 'cpu' });
      expect(preview.auto).toEqual({ method: result.method, basis: 'boundary-contrast', reason: result.auto!.reason });
      expect(preview.method).toBe(result.method);
      expect(Array.from(preview.labels)).toEqual(Array.from((await labelsOf('rule'))[5]));
    } finally {
      p.close();
    }
  }, 120_000);

  it('pore painted alone is not used, and why is said; pore and solid are', () => {
    // A user's strokes, as in the app: inside each phase, then two rounds over the largest
    // errors of the classifier's preview (trained in-process on the same stack, as the app's preview does).
    const user = new SimulatedAnnotator({ ny: NY, nx: NX, slices: PAINTED, budget: Math.floor(0.02 * PAINTED.length * NY * NX), seed: 3 }, (z) => stack.truth[z]);
    user.interiorStrokes(3, 8);
    const channels = [channelFromVolume(stack.grey)];
    for (let round = 0; round < 2; round++) {
      const c = trainPixelClassifier(channels, user.samples(), { crossValidate: false }).classifier;
      const ws = new FeatureWorkspace();
      const pred = new Map(PAINTED.map((z) => [z, predictSlice(c, channels, z, ws).labels]));
      user.correct((z) => pred.get(z)!, 10, 6);
    }
    annotations = Array.from({ length: NZ }, (_, z) => user.planes.get(z) ?? new Uint8Array(NY * NX));
    const p = openProject(project, { write: true });
    try {
      for (const z of PAINTED) setSliceAnnotation(p.db, 'grey', z, annotations[z].map((v) => (v === 1 ? 1 : 0)));
      const half = annotationsForAuto(p.db, getVolume(p.db, 'grey'));
      expect(half.use).toBe(false);
      expect(!half.use && half.why).toMatch(/hold \d+ pore and 0 solid pixels: paint solid too/);
      for (const z of PAINTED) setSliceAnnotation(p.db, 'grey', z, annotations[z]);
      const both = annotationsForAuto(p.db, getVolume(p.db, 'grey'));
      expect(both.use && both.annotations.slices).toEqual(PAINTED);
      expect(both.use && both.annotations.pixels).toBe(user.painted);
    } finally {
      p.close();
    }
  }, 60_000);

  it('scoring on the annotations reports its progress and stops on cancel; nothing is written', async () => {
    const ac = new AbortController();
    const messages: string[] = [];
    const onProgress = (p: { fraction: number; message: string }) => {
      messages.push(p.message);
      if (p.message.startsWith('Scoring kmeans')) ac.abort();
    };
    await expect(
      runJob({ kind: 'segment', projectPath: project, appVersion: 'test', request: { volume: 'grey', method: 'auto', ep: 'cpu', out: 'cancelled' } }, { signal: ac.signal, onProgress }),
    ).rejects.toMatchObject({ tag: 'cancelled' });
    expect(messages).toContain('Scoring otsu on the annotations');
    expect(messages.some((m) => m.startsWith('Scoring unet') || m.includes('pixel classifier'))).toBe(false);
    const p = openProject(project, { write: false });
    try {
      expect(() => getVolume(p.db, 'cancelled')).toThrow(/has no volume or channel named "cancelled"/);
    } finally {
      p.close();
    }
  }, 120_000);

  it('with pore and solid painted, fibrecon segment --method auto runs the method with the lowest MP on them, says so with the basis, and beats the rule against the truth', async () => {
    const r = await cli(['segment', project, '--volume', 'grey', '--method', 'auto', '--ep', 'cpu', '--out', 'painted']);
    expect(r.code, r.stderr).toBe(0);
    const { metadata, log } = stored('painted');
    const rec = metadata.auto as AutoRecord;
    expect(metadata.method).toBe(rec.method);
    expect(rec.basis).toBe('annotations');
    const table = rec.annotationScores as MethodScore[];
    // compare's list: the classical methods, every one-stack model, the pixel classifier.
    expect(table.map((s) => s.model ?? s.method)).toEqual(expect.arrayContaining(['otsu', 'multi-otsu', 'kmeans', 'hybrid', 'unet25d-w7-2kv', 'unet2d-2kv', 'unet3d-2kv', 'pixel-classifier']));
    const best = table.reduce((a, b) => (b.mpPercent < a.mpPercent ? b : a));
    expect(rec.method).toBe(best.method);
    expect(rec.model).toBe(best.model);
    expect(rec.method).not.toBe(rule.method);
    const ruleScore = table.find((s) => s.method === rule.method)!;
    expect(best.mpPercent).toBeLessThan(ruleScore.mpPercent);
    expect(rec.reason).toContain(`lowest MP on your annotations (${rec.evidence.annotations!.pixels} painted pixels on slices ${PAINTED.join(', ')}`);
    expect(rec.reason).toContain(`, ${best.mpPercent.toFixed(2)} % (next: `);
    expect(rec.reason).toContain(`Without annotations auto would have run ${rule.method} `);
    const name = best.model ? `model ${best.model}` : best.method;
    expect(r.stdout).toContain(`\nChosen by auto (basis: annotations): ${rec.reason}\n`);
    expect(rec.reason.startsWith(`${name}: lowest MP on your annotations (`)).toBe(true);

    // The recorded Otsu row is Otsu (scikit-image, whole stack) scored on the painted pixels (numpy).
    const ref = JSON.parse(
      runPython(
        `import sys, json, numpy as np
from skimage.filters import threshold_otsu
g = np.fromfile(sys.argv[1], np.uint8); a = np.fromfile(sys.argv[2], np.uint8)
m = a > 0; t = (a[m] == 2); p = (g > threshold_otsu(g))[m]
print(json.dumps({'mp': 100 * float((p != t).mean()), 'n': int(m.sum())}))`,
        [raw('grey', stack.grey.slices as Uint8Array[]), raw('annotations', annotations)],
      ),
    );
    const otsu = table.find((s) => s.method === 'otsu')!;
    expect(otsu.pixels).toBe(ref.n);
    expect(otsu.mpPercent).toBeCloseTo(ref.mp, 9);

    // Against the truth, on the slices nobody painted: what the annotations chose beats what the measurements chose.
    const unpainted = Array.from({ length: NZ }, (_, z) => z).filter((z) => !PAINTED.includes(z));
    const mp = JSON.parse(
      runPython(
        `import sys, json, numpy as np
shape = (${NZ}, ${NY}, ${NX}); z = ${JSON.stringify(unpainted)}
t, a, b = (np.fromfile(f, np.uint8).reshape(shape)[z] for f in sys.argv[1:4])
print(json.dumps([100 * float((a != t).mean()), 100 * float((b != t).mean())]))`,
        [raw('truth', stack.truth), raw('rule-labels', await labelsOf('rule')), raw('painted-labels', await labelsOf('painted'))],
      ),
    ) as [number, number];
    console.log(`auto by the rule: ${rule.method} MP ${mp[0].toFixed(2)} %; by the annotations: ${best.model ?? best.method} MP ${mp[1].toFixed(2)} % (slices nobody painted)`);
    expect(mp[1]).toBeLessThan(mp[0]);

    // The run record keeps every score.
    const line = log.split('\n').find((l) => l.startsWith('auto scores on the annotations '))!;
    const logged = JSON.parse(line.slice('auto scores on the annotations '.length)) as { version: number; scores: { method: string; mpPercent: number }[] };
    expect(logged.version).toBe(rec.evidence.annotations!.version);
    expect(logged.scores.map((s) => s.mpPercent)).toEqual(table.map((s) => s.mpPercent));
    expect(log).toMatch(new RegExp(`^auto chose ${best.model ? `model ${best.model}` : best.method}: `, 'm'));
  }, 180_000);
});
