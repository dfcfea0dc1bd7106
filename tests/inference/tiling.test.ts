// Tiling geometry, normalisation and model-card validation (no ONNX runtime needed).
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors';
import { BLEND_FLOOR, blendWeights1d, parseModelCard, percentiles, reflectIndex, tileOrigins } from '../../src-main/inference';
import { runPython } from '../helpers/python';

describe('reflectIndex', () => {
  it('matches numpy.pad reflect mode, also for pads longer than the axis', () => {
    for (const n of [1, 2, 3, 5, 8]) {
      const pad = 11;
      const ours = Array.from({ length: n + 2 * pad }, (_, i) => reflectIndex(i - pad, n));
      const numpy = JSON.parse(runPython(`import numpy as np, json; print(json.dumps(np.pad(np.arange(${n}), ${pad}, mode='reflect').tolist()))`));
      expect(ours).toEqual(numpy);
    }
  });
  it('window of 7 at z = 0 is 3 2 1 0 1 2 3', () => {
    expect([-3, -2, -1, 0, 1, 2, 3].map((k) => reflectIndex(k, 10))).toEqual([3, 2, 1, 0, 1, 2, 3]);
  });
});

describe('tileOrigins and blending weights', () => {
  it('covers the axis with at least the overlap between neighbours; last tile flush with the end', () => {
    for (const [n, t, o] of [[100, 32, 8], [33, 32, 8], [32, 32, 8], [5, 32, 8], [257, 64, 16], [10, 3, 2]]) {
      const xs = tileOrigins(n, t, o);
      expect(xs[0]).toBe(0);
      if (n > t) expect(xs[xs.length - 1]).toBe(n - t);
      else expect(xs).toEqual([0]);
      for (let i = 1; i < xs.length; i++) {
        expect(xs[i] - xs[i - 1]).toBeGreaterThan(0);
        expect(xs[i - 1] + t - xs[i]).toBeGreaterThanOrEqual(o);
      }
    }
  });
  it('weights are symmetric, 1 in the middle, never below the floor', () => {
    const w = blendWeights1d(32, 8);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(BLEND_FLOOR);
    expect(w[16]).toBe(1);
    for (let i = 0; i < 32; i++) expect(w[i]).toBeCloseTo(w[31 - i], 6);
    for (let i = 1; i < 8; i++) expect(w[i]).toBeGreaterThan(w[i - 1]);
    expect([...blendWeights1d(5, 0)]).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('percentiles', () => {
  it('match numpy (linear) for uint8, uint16 and float32 slices', () => {
    const n = 1001;
    const u8 = Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256);
    const u16 = Uint16Array.from({ length: n }, (_, i) => (i * 7919) % 65536);
    const f32 = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 100);
    for (const a of [u8, u16, f32]) {
      const ours = percentiles(a, [0, 1, 50, 99.5, 100]);
      const ref = JSON.parse(runPython('import numpy as np, json, sys; a = np.array(json.loads(sys.stdin.read()), dtype=np.float32); print(json.dumps(np.percentile(a, [0, 1, 50, 99.5, 100]).tolist()))', [], JSON.stringify([...a])));
      ours.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 3));
    }
  });
});

describe('model card', () => {
  const base = { name: 'm', kind: 'segmentation-2d', input: { tile: 64 }, output: { channels: 1, activation: 'sigmoid', classes: ['solid'] } };
  it('fills defaults', () => {
    const c = parseModelCard(base);
    expect(c.input.slices).toBe(1);
    expect(c.input.normalisation).toEqual({ type: 'none' });
    expect(c.output.threshold).toBe(0.5);
  });
  it.each([
    [{ ...base, kind: 'segmentation-2.5d', input: { tile: 64, slices: 4 } }, /odd window/],
    [{ ...base, input: { tile: 64, slices: 3 } }, /2D model sees 1 slice/],
    [{ ...base, input: { tile: 64, overlap: 64 } }, /smaller than the tile/],
    [{ ...base, output: { channels: 2, activation: 'softmax', classes: ['solid'] } }, /class name/],
    [{ ...base, output: { channels: 1, activation: 'softmax', classes: ['solid'] } }, /softmax needs 2/],
    [{ ...base, input: { tile: 64, normalisation: { type: 'scale', mean: 0, std: 0 } } }, /std/],
    [{ ...base, input: { tile: 64, normalisation: { type: 'minmax-percentile', low: 99, high: 1 } } }, /greater than low/],
    [{ ...base, kind: 'segmentation-4d' }, /kind/],
    [{ ...base, extra: 1 }, /extra|Unrecognized/],
  ])('rejects an invalid card with a message naming the field (%#)', (card, re) => {
    let err: unknown;
    try {
      parseModelCard(card);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).tag).toBe('invalid_input');
    expect((err as AppError).message).toMatch(re);
    expect((err as AppError).message).toMatch(/docs\/inference\.md/);
  });
});
