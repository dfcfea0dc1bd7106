// The 'compare' job of the backend (the Segmentation step's "Compare methods on my
// annotations"): on a stack of the independent simulator with annotations painted
// through paintAnnotation from its ground truth, the job's done event carries
// exactly what scoreOnAnnotations returns when called directly, its message is the
// "Best on your annotations" sentence, the Otsu row agrees with scikit-image on the
// painted pixels, and the project file is bit for bit the same afterwards (it reads
// only: no run record). Without both classes it refuses and says what to paint; it
// reports progress and stops when cancelled.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { openProject } from '../../src-main/project/open-project';
import { scoreOnAnnotations } from '../../src-main/segment/score-on-annotations';
import type { AnnotationScores, JobEvent } from '../../src-shared/contract';
import { makeIndepStack } from '../helpers/indep-sim';
import { runPython } from '../helpers/python';
import { finished, value } from './backend-helpers';

const MODEL = 'unet2d-2kv';
const PAINTED_SLICES = [1, 4, 6];
const PER_SLICE = 150;
let stack: ReturnType<typeof makeIndepStack>;
let backend: ApiBackend;
let path: string;
const events: JobEvent[] = [];
/** Annotation class per pixel as painted (1 pore, 2 solid), 0 elsewhere: z-major like the stack. */
let painted: Uint8Array;

/** SHA-256 of the project file and of its write-ahead log when there is one. */
const projectHash = () => {
  const h = createHash('sha256');
  for (const f of [path, `${path}-wal`]) if (existsSync(f)) h.update(f).update(readFileSync(f));
  return h.digest('hex');
};

async function runJob(req: unknown): Promise<JobEvent> {
  const { jobId } = value<{ jobId: string }>(await backend.call('startCompare', req));
  return finished(events, jobId);
}

beforeAll(async () => {
  stack = makeIndepStack({ family: 'grains', seed: 8, shape: [8, 48, 48], kv: 2, featurePx: 8 });
  path = join(stack.dir, 'p.fibrecon');
  const { createApiBackend } = await import('../../src-main/app/api-backend');
  backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
  backend.onJobEvent((e) => events.push(e));
  value(await backend.call('createProject', { path }));
  const { jobId } = value<{ jobId: string }>(await backend.call('startImport', { channels: [{ name: 'grey', paths: [join(stack.dir, 'grey.tif')] }] }));
  expect((await finished(events, jobId)).type).toBe('done');
}, 60_000);
afterAll(async () => {
  await backend?.dispose();
  stack?.cleanup();
});

describe('api backend: compare methods on the annotations', () => {
  it('refuses without both classes and says what to paint; refuses a malformed request where it enters', async () => {
    const e = await runJob({ volume: 'grey', models: [MODEL] });
    expect(e.type).toBe('failed');
    expect(e.type === 'failed' && e.error.message).toMatch(/hold 0 pore and 0 solid pixels: paint both classes before comparing methods/);
    const bad = await backend.call('startCompare', { volume: 'grey', models: MODEL });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.tag).toBe('invalid_input');
  }, 30_000);

  it('carries exactly what scoreOnAnnotations returns, names the best, and leaves the project file untouched', async () => {
    // Unbiased annotations: PER_SLICE pseudo-random pixels of three slices, labelled from the truth (pore 1, solid 2).
    const [nz, ny, nx] = stack.manifest.shape;
    painted = new Uint8Array(nz * ny * nx);
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (const z of PAINTED_SLICES) {
      const chosen = new Set<number>();
      while (chosen.size < PER_SLICE) chosen.add((next() >>> 8) % (ny * nx));
      for (const label of [1, 2]) {
        const indices = [...chosen].filter((i) => stack.truth[z][i] + 1 === label);
        for (const i of indices) painted[z * ny * nx + i] = label;
        if (indices.length > 0) value(await backend.call('paintAnnotation', { volume: 'grey', z, stroke: { kind: 'pixels', indices, label } }));
      }
    }
    const before = projectHash();
    const e = await runJob({ volume: 'grey', models: [MODEL] });
    if (e.type === 'failed') throw new Error(e.error.message);
    expect(e.type).toBe('done');
    expect(projectHash()).toBe(before);
    const scores = (e as { scores?: AnnotationScores }).scores!;

    const p = openProject(path, { write: false });
    let direct: AnnotationScores;
    try {
      direct = await scoreOnAnnotations(p.db, 'grey', { models: [MODEL] });
    } finally {
      p.close();
    }
    expect(scores).toEqual(direct);
    expect(e.type === 'done' && e.message).toBe(`Best on your annotations: ${direct.best.reason}`);
    expect(scores.slices).toEqual(PAINTED_SLICES);
    expect(scores.pixels).toBe(PAINTED_SLICES.length * PER_SLICE);
    expect(scores.scores.map((s) => s.model ?? s.method)).toEqual(['otsu', 'multi-otsu', 'kmeans', 'hybrid', MODEL, 'pixel-classifier']);
    const lowest = Math.min(...scores.scores.map((s) => s.mpPercent));
    const best = scores.scores.find((s) => s.method === scores.best.method && s.model === scores.best.model)!;
    expect(best.mpPercent).toBe(lowest);
    const progress = events.filter((x) => x.jobId === e.jobId && x.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(6);

    // Otsu over the whole stack, scored on the painted pixels by scikit-image + numpy.
    const ref = JSON.parse(
      runPython(
        `import sys, json, numpy as np, tifffile
from skimage.filters import threshold_otsu
g = tifffile.imread(sys.argv[1]); a = np.frombuffer(sys.stdin.buffer.read(), np.uint8).reshape(g.shape)
p = (g > threshold_otsu(g)).astype(np.uint8); m = a > 0; t = (a[m] == 2).astype(np.uint8); q = p[m]
print(json.dumps({'mp': 100 * float((q != t).mean()), 'n': int(m.sum())}))`,
        [join(stack.dir, 'grey.tif')],
        Buffer.from(painted).toString('latin1'),
      ),
    );
    const otsu = scores.scores.find((s) => s.method === 'otsu')!;
    expect(otsu.pixels).toBe(ref.n);
    expect(otsu.mpPercent).toBeCloseTo(ref.mp, 9);
  }, 60_000);

  it('stops when cancelled, with the project unchanged', async () => {
    const before = projectHash();
    const { jobId } = value<{ jobId: string }>(await backend.call('startCompare', { volume: 'grey', models: [MODEL] }));
    for (let i = 0; i < 300 && !events.some((x) => x.jobId === jobId); i++) await new Promise((r) => setTimeout(r, 20));
    value(await backend.call('cancelJob', { jobId }));
    const e = await finished(events, jobId);
    expect(e.type).toBe('cancelled');
    expect(projectHash()).toBe(before);
  }, 30_000);
});
