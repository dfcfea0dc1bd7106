// Opening models: execution provider choice, broken files, cancellation, runOnce.
import { writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors';
import { cudaProviderInstalled, loadModel, openModel, runOnce, segmentStack, segmentWithModel } from '../../src-main/inference';
import { buildTestModels, type TestModels } from '../fixtures/onnx/models';

let models: TestModels;
beforeAll(() => {
  models = buildTestModels();
});
afterAll(() => models?.cleanup());

async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

const slices = (nz: number, n: number): Uint8Array[] => Array.from({ length: nz }, (_, z) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + z * 7) % 256));

describe('(e) execution provider', () => {
  it.skipIf(cudaProviderInstalled())("'auto' without the CUDA provider library falls back to the CPU and says why", async () => {
    const m = await openModel(models.path('pointwise'), { ep: 'auto' });
    expect(m.ep).toBe('cpu');
    // In the user's words (shown in the job message and result line), with where to read how to enable the GPU.
    expect(m.reason).toBe('no GPU support (CUDA) installed: runs on the CPU. The user guide, "Running on a GPU", says how to enable it');
    expect(m.reason).not.toMatch(/onnxruntime|docs\//);
    await m.session.release();
  });
  it.skipIf(cudaProviderInstalled())("explicit 'cuda' fails with a message that tells what to do", async () => {
    const e = await appError(openModel(models.path('pointwise'), { ep: 'cuda' }));
    expect(e.tag).toBe('invalid_input');
    expect(e.message).toMatch(/Cannot run the model on CUDA/);
    expect(e.message).toMatch(/docs\/inference\.md/);
  });
  it("'cpu' is always the CPU; 'auto' gives a reason either way", async () => {
    const cpu = await openModel(models.path('pointwise'), { ep: 'cpu' });
    expect(cpu.ep).toBe('cpu');
    await cpu.session.release();
    const auto = await openModel(models.path('pointwise'));
    expect(['cpu', 'cuda']).toContain(auto.ep);
    expect(auto.reason.length).toBeGreaterThan(10);
    await auto.session.release();
  });
});

describe('(f) missing and broken files: clear errors, nothing written', () => {
  it.each([['auto'], ['cpu']] as const)('missing model file (ep %s) -> file_not_found', async (ep) => {
    let writes = 0;
    const e = await appError(segmentWithModel(join(models.dir, 'nope.onnx'), [2, 4, 4], (z) => slices(2, 16)[z], () => void writes++, { ep }));
    expect(e.tag).toBe('file_not_found');
    expect(e.message).toMatch(/nope\.onnx does not exist/);
    expect(writes).toBe(0);
  });
  it.each([['auto'], ['cpu']] as const)('garbage bytes (ep %s) -> corrupt_file', async (ep) => {
    const bad = join(models.dir, 'garbage.onnx');
    writeFileSync(bad, Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 97 + 13) % 256)));
    copyFileSync(models.path('pointwise').replace(/\.onnx$/, '.json'), join(models.dir, 'garbage.json'));
    let writes = 0;
    const e = await appError(segmentWithModel(bad, [2, 4, 4], (z) => slices(2, 16)[z], () => void writes++, { ep }));
    expect(e.tag).toBe('corrupt_file');
    expect(e.message).toMatch(/not a valid ONNX model/);
    expect(e.message).toMatch(/Export the model again|download it again/);
    expect(writes).toBe(0);
  });
  it('a model without its card -> file_not_found naming the card', async () => {
    copyFileSync(models.path('pointwise'), join(models.dir, 'nocard.onnx'));
    const e = await appError(loadModel(join(models.dir, 'nocard.onnx'), { ep: 'cpu' }));
    expect(e.tag).toBe('file_not_found');
    expect(e.message).toMatch(/nocard\.json/);
  });
  it('a card that does not match the model -> invalid_input before any slice is read', async () => {
    const m = await loadModel(models.path('window7'), { ep: 'cpu' });
    let reads = 0;
    const e = await appError(segmentStack({ ...m, card: { ...m.card, kind: 'segmentation-2.5d', input: { ...m.card.input, slices: 5 } } }, [3, 8, 8], (z) => {
      reads++;
      return slices(3, 64)[z];
    }, () => {}));
    expect(e.tag).toBe('invalid_input');
    expect(e.message).toMatch(/fixed at 7/);
    expect(reads).toBe(0);
    await m.session.release();
  });
  it('slices of the wrong size -> size_mismatch', async () => {
    const m = await loadModel(models.path('pointwise'), { ep: 'cpu' });
    const e = await appError(segmentStack(m, [2, 8, 8], () => new Uint8Array(10), () => {}));
    expect(e.tag).toBe('size_mismatch');
    await m.session.release();
  });
});

describe('(g) cancel', () => {
  it('stops between batches with a cancelled AppError; only whole slices were written', async () => {
    const m = await loadModel(models.path('conv5'), { ep: 'cpu' });
    const [nz, ny, nx] = [30, 40, 40];
    const s = slices(nz, ny * nx);
    const ac = new AbortController();
    const written: number[] = [];
    let readsAfterAbort = 0;
    const e = await appError(
      segmentStack(m, [nz, ny, nx], (z) => {
        if (ac.signal.aborted) readsAfterAbort++;
        return s[z];
      }, (z, labels, prob) => {
        expect(labels.length).toBe(ny * nx);
        expect(prob!.length).toBe(ny * nx);
        written.push(z);
        if (z === 3) ac.abort();
      }, { signal: ac.signal, batchSize: 2 }),
    );
    expect(e.tag).toBe('cancelled');
    expect(written).toEqual([0, 1, 2, 3]);
    expect(readsAfterAbort).toBe(0);
    await m.session.release();
  });
  it('an already aborted signal reads nothing', async () => {
    const m = await loadModel(models.path('pointwise'), { ep: 'cpu' });
    const ac = new AbortController();
    ac.abort();
    let calls = 0;
    const e = await appError(segmentStack(m, [3, 4, 4], () => (calls++, new Uint8Array(16)), () => void calls++, { signal: ac.signal }));
    expect(e.tag).toBe('cancelled');
    expect(calls).toBe(0);
    await m.session.release();
  });
  it('reports progress up to 1', async () => {
    const m = await loadModel(models.path('pointwise'), { ep: 'cpu' });
    const fractions: number[] = [];
    await segmentStack(m, [4, 40, 40], (z) => slices(4, 1600)[z], () => {}, { onProgress: (p) => fractions.push(p.fraction) });
    expect(fractions[fractions.length - 1]).toBe(1);
    await m.session.release();
  });
});

describe('runOnce', () => {
  it('runs one tensor through the model and returns its first output', async () => {
    const m = await openModel(models.path('pointwise'), { ep: 'cpu' });
    const x = Float32Array.from([0, 100, 200, 50, 150, 120]);
    const r = await runOnce(m.session, x, [1, 1, 2, 3]);
    expect(r.dims).toEqual([1, 1, 2, 3]);
    [...x].forEach((v, i) => expect(r.data[i]).toBeCloseTo(1 / (1 + Math.exp(-0.05 * (v - 100))), 6));
    const e = await appError(runOnce(m.session, x, [1, 2, 3]));
    expect(e.tag).toBe('invalid_input');
    expect((await appError(runOnce(m.session, x, [1, 1, 2, 2]))).message).toMatch(/does not fill/);
    await m.session.release();
  });
});
