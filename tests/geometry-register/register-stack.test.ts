import { describe, expect, it } from 'vitest';
import { applyTranslations, commonValidCrop, registerAcrossChannels, registerWithinStack } from '../../src-main/geometry/register';
import { random } from '../helpers/random';
import { baseStructure, shiftedImages } from './fixtures';

const W = 160;
const H = 128;
const base = baseStructure(W, H, 11);

describe('registerWithinStack', () => {
  // Random walk of sub-pixel positions; slice i = base translated by p_i, so the
  // translation onto slice 0 is p_0 - p_i.
  const r = random(5);
  const pos: [number, number][] = [[0, 0]];
  for (let i = 1; i < 10; i++) pos.push([pos[i - 1][0] + (r() - 0.5) * 4, pos[i - 1][1] + (r() - 0.5) * 4]);
  const fx = shiftedImages(base, W, H, pos.map(([dy, dx], i) => ({ dy, dx, noise: 0.05, seed: 200 + i })));

  it('recovers a random-walk drift within 0.2 px after 9 chained matches', () => {
    const reg = registerWithinStack(fx.images, W, H);
    expect(reg.failedSlices).toEqual([]);
    reg.shifts.forEach((s, i) => {
      expect(Math.abs(s.dy - (pos[0][0] - pos[i][0]))).toBeLessThan(0.2);
      expect(Math.abs(s.dx - (pos[0][1] - pos[i][1]))).toBeLessThan(0.2);
    });
  });

  it('a jump beyond maxShiftPx is a failure: the slice keeps the previous translation', () => {
    const images = fx.images.slice(0, 6);
    const jumped = shiftedImages(base, W, H, [{ dy: pos[0][0], dx: pos[0][1], noise: 0.05, seed: 1 }, { dy: pos[3][0], dx: pos[3][1] + 15, noise: 0.05, seed: 2 }]);
    images[3] = jumped.images[1];
    const reg = registerWithinStack(images, W, H, { maxShiftPx: 8 });
    expect(reg.failedSlices).toContain(3);
    expect(reg.shifts[3]).toEqual(reg.shifts[2]);
    expect(Math.abs(reg.pairs[3].dx + (pos[3][1] + 15 - pos[2][1]))).toBeLessThan(0.1);
  });
});

describe('registerAcrossChannels', () => {
  it('finds the constant offset of another channel with different contrast', () => {
    const fx = shiftedImages(base, W, H, [0, 1, 2, 3].flatMap((i) => [{ dy: 0, dx: 0, noise: 0.05, seed: 300 + i }, { dy: 2.35, dx: -1.6, noise: 0.05, seed: 400 + i }]));
    const ref = fx.images.filter((_, i) => i % 2 === 0);
    const other = fx.images.filter((_, i) => i % 2 === 1).map((a) => a.map((v) => 0.3 + 0.5 * v));
    const reg = registerAcrossChannels(ref, other, W, H);
    expect(Math.abs(reg.perStack.dy + 2.35)).toBeLessThan(0.1);
    expect(Math.abs(reg.perStack.dx - 1.6)).toBeLessThan(0.1);
    expect(reg.perSlice).toHaveLength(4);
  });
});

describe('applyTranslations', () => {
  it('crops to the common valid area and registers labels exactly with nearest', () => {
    const w = 30, h = 20;
    const rnd = random(9);
    const labels = Uint8Array.from({ length: w * h }, () => (rnd() < 0.5 ? 1 : 0));
    const shifts = [{ dy: 0, dx: 0 }, { dy: 2, dx: -3 }, { dy: -1, dx: 4 }];
    // slice_i(y, x) = labels(y + dy_i, x + dx_i): translating by (dy_i, dx_i) restores labels.
    const slices = shifts.map((s) => Uint8Array.from({ length: w * h }, (_, k) => {
      const y = Math.floor(k / w) + s.dy, x = (k % w) + s.dx;
      return y >= 0 && y < h && x >= 0 && x < w ? labels[y * w + x] : 7;
    }));
    const out = applyTranslations(slices, w, h, shifts, { interpolation: 'nearest' });
    expect(out.crop).toEqual({ x: 4, y: 2, width: 23, height: 17 });
    for (const s of out.slices) {
      expect(s).toBeInstanceOf(Uint8Array);
      for (let y = 0; y < 17; y++) for (let x = 0; x < 23; x++) expect(s[y * 23 + x]).toBe(labels[(y + 2) * w + x + 4]);
    }
  });

  it('sub-pixel crop and linear interpolation', () => {
    expect(commonValidCrop([{ dy: 0, dx: 0 }, { dy: 0.5, dx: -0.3 }], 10, 8)).toEqual({ x: 0, y: 1, width: 9, height: 7 });
    const img = Float32Array.from({ length: 80 }, (_, k) => k % 10); // value = x
    const out = applyTranslations([img], 10, 8, [{ dy: 0, dx: 0.25 }], { interpolation: 'linear' });
    expect(out.crop).toEqual({ x: 1, y: 0, width: 9, height: 8 });
    expect(out.slices[0][0]).toBeCloseTo(0.75, 6);
    expect(() => commonValidCrop([{ dy: 0, dx: 0 }, { dy: 0, dx: 12 }], 10, 8)).toThrow(/no area/);
  });
});
