// `fibrecon segment` prints the out-of-distribution warning after a model run on a stack
// the model was not made for (independent simulator, grains, 2 kV TLD), and `--method
// auto` prints what it ran and why, and runs no model there; --json carries the check.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliOk } from '../cli/run-cli';
import { makeIndepStack } from '../helpers/indep-sim';
import { tempDir } from '../helpers/python';

const tmp = tempDir('fibrecon-auto-cli-');
const project = join(tmp.dir, 'p.fibrecon');

beforeAll(async () => {
  const stack = makeIndepStack({ family: 'grains', seed: 8, shape: [16, 96, 96], kv: 2, detector: 'tld', fill: 'epoxy', dir: join(tmp.dir, 'grains') });
  await cliOk(['create', project]);
  await cliOk(['import', project, join(stack.dir, 'grey.tif'), '--name', 'grains']);
}, 120_000);
afterAll(() => tmp.cleanup());

describe('fibrecon segment on a stack the model was not made for', () => {
  it('--method model prints the warning beside the result; --method auto runs Otsu or k-means and says why', async () => {
    const model = await cliOk(['segment', project, '--volume', 'grains', '--method', 'model', '--model', 'unet25d-w7-2kv', '--ep', 'cpu', '--out', 'm']);
    expect(model).toMatch(/^Wrote "m": 16 slices of labels \(1 = solid\), solid fraction \d+\.\d+ %, by model "unet25d-w7-2kv" on CPU/m);
    expect(model).toMatch(/^Warning: The model unet25d-w7-2kv looks out of its depth on this stack \(OOD score \d\.\d{3} > 0\.014\): .* Check the result against the grey images, or use (Otsu|k-means) \/ the pixel classifier \(annotate a few slices\)\.$/m);

    const auto = await cli(['segment', project, '--volume', 'grains', '--method', 'auto', '--out', 'a', '--json']);
    expect(auto.code, auto.stderr).toBe(0);
    const r = JSON.parse(auto.stdout) as { method: string; model?: unknown; auto: { method: string; basis: string; reason: string; evidence: { model: { outOfDepth: boolean } } } };
    expect(['otsu', 'kmeans']).toContain(r.method);
    expect(r.model).toBeUndefined();
    expect(r.auto).toMatchObject({ method: r.method, basis: 'boundary-contrast' });
    expect(r.auto.evidence.model.outOfDepth).toBe(true);
    expect(r.auto.reason).toContain('Not the model: the model unet25d-w7-2kv looks out of its depth here');

    const text = await cliOk(['segment', project, '--volume', 'grains', '--method', 'auto', '--out', 'b']);
    expect(text).toMatch(new RegExp(`^Wrote "b": 16 slices of labels \\(1 = solid\\), solid fraction \\d+\\.\\d+ %, by ${r.method}, threshold\\(s\\) `, 'm'));
    expect(text).toMatch(/^Chosen by auto \(basis: boundary-contrast\): (Otsu|k-means): /m);
    expect(text).toMatch(/^The model unet25d-w7-2kv looks out of its depth on this stack/m);
  }, 180_000);
});
