// fibrecon compare: every method scored on the user's annotations. The classical rows
// are checked against scikit-image's Otsu threshold and numpy on the same painted
// pixels; a shipped model's row against the same model run by `fibrecon segment`;
// the pixel classifier's row is its cross-validation on slices it did not learn from.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIndepStack } from '../helpers/indep-sim';
import { runPython } from '../helpers/python';
import { cli, cliOk } from './run-cli';

let stack: ReturnType<typeof makeIndepStack>;
let project: string;

beforeAll(async () => {
  stack = makeIndepStack({ family: 'grains', seed: 8, shape: [12, 48, 48], kv: 2, featurePx: 8 });
  project = join(stack.dir, 'p.fibrecon');
  await cliOk(['create', project]);
  await cliOk(['import', project, join(stack.dir, 'grey.tif'), '--name', 'grey']);
  // Unbiased annotations: 250 random pixels of slices 2, 6 and 10, labelled from the truth.
  runPython(
    `import sys, numpy as np, tifffile
t = tifffile.imread(sys.argv[1]); a = np.zeros(t.shape, np.uint8); rng = np.random.default_rng(1)
for z in (2, 6, 10):
    idx = rng.choice(t[z].size, 250, replace=False); y, x = np.unravel_index(idx, t[z].shape); a[z, y, x] = t[z, y, x] + 1
tifffile.imwrite(sys.argv[2], a)`,
    [join(stack.dir, 'truth.tif'), join(stack.dir, 'sparse.tif')],
  );
  await cliOk(['annotate', project, '--volume', 'grey', '--labels', join(stack.dir, 'sparse.tif')]);
}, 120_000);
afterAll(() => stack?.cleanup());

describe('fibrecon compare', () => {
  it('scores Otsu exactly as scikit-image + numpy do on the painted pixels, a model as its own run, and the classifier by cross-validation', async () => {
    const r = JSON.parse(await cliOk(['compare', project, '--volume', 'grey', '--models', 'unet2d-2kv', '--json']));
    expect(r.pixels).toBe(750);
    expect(r.slices).toEqual([2, 6, 10]);
    const otsu = r.scores.find((s: { method: string }) => s.method === 'otsu');
    const ref = JSON.parse(
      runPython(
        `import sys, json, numpy as np, tifffile
from skimage.filters import threshold_otsu
g = tifffile.imread(sys.argv[1]); a = tifffile.imread(sys.argv[2])
p = (g > threshold_otsu(g)).astype(np.uint8); m = a > 0; t = (a[m] == 2).astype(np.uint8); q = p[m]
tp = int(((q == 1) & (t == 1)).sum()); fn = int(((q == 0) & (t == 1)).sum())
print(json.dumps({'mp': 100 * float((q != t).mean()), 'mgp': 100 * fn / (tp + fn)}))`,
        [join(stack.dir, 'grey.tif'), join(stack.dir, 'sparse.tif')],
      ),
    );
    expect(otsu.mpPercent).toBeCloseTo(ref.mp, 9);
    expect(otsu.mgpPercent).toBeCloseTo(ref.mgp, 9);
    expect(r.scores.map((s: { method: string; model?: string }) => s.model ?? s.method)).toEqual(['otsu', 'multi-otsu', 'kmeans', 'hybrid', 'unet2d-2kv', 'pixel-classifier']);
    const cls = r.scores.find((s: { method: string }) => s.method === 'pixel-classifier');
    expect(cls.pixels).toBe(750);
    expect(cls.basis).toMatch(/did not learn from/);
    expect(cls.wholeSliceMpPercent).toBeGreaterThan(0);
    const best = r.scores.reduce((a: { mpPercent: number }, b: { mpPercent: number }) => (b.mpPercent < a.mpPercent ? b : a));
    expect(r.best.method).toBe(best.method);
    // On this independent stack the classifier learns from 750 pixels and beats Otsu on pixels it never saw.
    expect(cls.mpPercent).toBeLessThan(otsu.mpPercent);
  }, 120_000);

  it('the text table names units and the best method; without both classes it says what to paint', async () => {
    const t = await cliOk(['compare', project, '--volume', 'grey', '--models', '']);
    expect(t).toMatch(/^method +MP % +MGP % +mIoU/m);
    expect(t).toMatch(/^Best on your annotations: .* misplaces [\d.]+ % of your 750 annotated pixels, the fewest/m);
    await cliOk(['annotate', project, '--volume', 'grey', '--clear']);
    const r = await cli(['compare', project, '--volume', 'grey']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/paint both classes before comparing methods/);
  }, 120_000);
});
