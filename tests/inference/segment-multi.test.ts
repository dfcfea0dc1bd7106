// Models with several input stacks (late fusion, card input.channels): the engine builds
// each stack's 2.5D window like the single-stack one (reflection at the ends), normalises
// each stack's slices on their own and concatenates the windows in card order; checked
// against a brute-force 1x1 convolution over the 21 channels on tiny ONNX models
// (tests/fixtures/onnx/make_fusion_models.py).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, normaliseSlice, parseModelCard, reflectIndex, segmentStack, segmentStacks, type LoadedModel } from '../../src-main/inference';
import { buildFusionTestModels, readNpyF32 } from '../fixtures/onnx/fusion-models';
import type { TestModels } from '../fixtures/onnx/models';

let models: TestModels;
const loaded = new Map<string, LoadedModel>();
async function model(name: string): Promise<LoadedModel> {
  if (!loaded.has(name)) loaded.set(name, await loadModel(models.path(name), { ep: 'cpu' }));
  return loaded.get(name)!;
}
beforeAll(() => {
  models = buildFusionTestModels();
});
afterAll(async () => {
  for (const m of loaded.values()) await m.session.release();
  models?.cleanup();
});

function stack(nz: number, ny: number, nx: number, seed: number): Uint8Array[] {
  let s = seed >>> 0;
  const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
  return Array.from({ length: nz }, () => Uint8Array.from({ length: ny * nx }, next));
}
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

describe('model card input.channels', () => {
  const base = { name: 'f', kind: 'segmentation-2.5d', input: { slices: 7, tile: 16 }, output: { channels: 1, activation: 'none', classes: ['solid'] } };
  it('is optional (one stack) and takes beamKeV / detector / label per stack', () => {
    expect(parseModelCard(base).input.channels).toBeUndefined();
    const c = parseModelCard({ ...base, input: { ...base.input, channels: [{ beamKeV: 1 }, { beamKeV: 2, detector: 'TLD' }, { label: 'SE2' }] } });
    expect(c.input.channels).toHaveLength(3);
  });
  it('rejects an empty list, unknown fields and several stacks for 3D models', () => {
    expect(() => parseModelCard({ ...base, input: { ...base.input, channels: [] } })).toThrow(/channels/);
    expect(() => parseModelCard({ ...base, input: { ...base.input, channels: [{ kv: 1 }] } })).toThrow(/channels/);
    expect(() => parseModelCard({ ...base, kind: 'segmentation-3d', input: { slices: 4, tile: 16, channels: [{ beamKeV: 1 }, { beamKeV: 2 }] } })).toThrow(/2D \/ 2.5D models only/);
  });
});

describe('fusion21: 3 stacks x window 7 -> 1x1 convolution over 21 channels', () => {
  it.each([
    [9, 21, 19, 3],
    [3, 16, 16, 4], // fewer slices than the window: reflection twice
    [1, 10, 12, 2], // one slice: every window channel is that slice
  ])('nz %i, %i x %i px, batch %i: equals the brute-force reference; each slice read once, window per stack bounded', async (nz, ny, nx, batchSize) => {
    const m = await model('fusion21');
    const w = readNpyF32(models.path('fusion21').replace(/\.onnx$/, '_weight.npy'));
    const [b] = readNpyF32(models.path('fusion21').replace(/\.onnx$/, '_bias.npy'));
    expect(w).toHaveLength(21);
    const stacks = [stack(nz, ny, nx, 11), stack(nz, ny, nx, 22).map((s) => s.map((v) => v >> 1)), stack(nz, ny, nx, 33)];
    const norm = stacks.map((st) => st.map((s) => normaliseSlice(s, { type: 'minmax-percentile', low: 1, high: 99, clip: true })));
    const prob: Float32Array[] = [];
    const reads = new Map<number, number>();
    const stats = await segmentStacks(
      m,
      [nz, ny, nx],
      stacks.map((st, c) => (z: number) => {
        reads.set(z * 3 + c, (reads.get(z * 3 + c) ?? 0) + 1);
        return st[z];
      }),
      (z, _labels, p) => {
        prob[z] = p!;
      },
      { batchSize },
    );
    expect(stats.slicesWritten).toBe(nz);
    expect(stats.getSliceCalls).toBe(nz);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
    expect(stats.maxSlicesHeld).toBeLessThanOrEqual(Math.min(nz, 7 + Math.ceil(batchSize / stats.tilesPerSlice) + 1));
    for (let z = 0; z < nz; z++) {
      for (let p = 0; p < ny * nx; p++) {
        let l = b;
        for (let c = 0; c < 3; c++) for (let k = 0; k < 7; k++) l += w[c * 7 + k] * norm[c][reflectIndex(z + k - 3, nz)][p];
        expect(prob[z][p]).toBeCloseTo(sigmoid(l), 5);
      }
    }
  });

  it('segmentStack with getSlice returning an array per z gives the same result; the wrong number of stacks or sizes is a clear error', async () => {
    const m = await model('fusion21');
    const [nz, ny, nx] = [5, 12, 14];
    const stacks = [stack(nz, ny, nx, 1), stack(nz, ny, nx, 2), stack(nz, ny, nx, 3)];
    const a: Float32Array[] = [];
    const c: Float32Array[] = [];
    await segmentStack(m, [nz, ny, nx], (z) => stacks.map((s) => s[z]), (z, _l, p) => void (a[z] = p!));
    await segmentStacks(m, [nz, ny, nx], stacks.map((s) => (z: number) => s[z]), (z, _l, p) => void (c[z] = p!));
    expect(a).toEqual(c);
    await expect(segmentStack(m, [nz, ny, nx], (z) => stacks[0][z], () => {})).rejects.toThrow(/reads 3 stacks \(1 kV TLD, 2 kV TLD, 4 kV TLD\) but slice 0 came from 1/);
    await expect(segmentStacks(m, [nz, ny, nx], stacks.slice(0, 2).map((s) => (z: number) => s[z]), () => {})).rejects.toThrow(/reads 3 stack\(s\).*got 2/);
    const small = stack(nz, ny - 1, nx, 4);
    await expect(segmentStacks(m, [nz, ny, nx], [(z) => stacks[0][z], (z) => small[z], (z) => stacks[2][z]], () => {})).rejects.toThrow(/of input 2 kV TLD has .* pixels/);
  });

  it('a card without channels on the 21-channel model: the mismatch is an error, not a silent run', async () => {
    const m = await model('fusion21');
    const one = { ...m, card: { ...m.card, input: { ...m.card.input, channels: undefined } } };
    // the model's 21 input channels no longer match the card's 7: ONNX Runtime refuses
    await expect(segmentStack(one, [2, 8, 8], (z) => stack(2, 8, 8, 5)[z], () => {})).rejects.toThrow();
  });
});
