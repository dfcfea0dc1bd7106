import { describe, expect, it } from 'vitest';
import { applyTranslations, commonValidCrop, registerAcrossChannels, registerWithinStack, wholePixelShifts } from '../../src-main/geometry/register';
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

  it('recovers a random-walk drift within 0.2 px over 10 slices, and calls it significant', () => {
    const reg = registerWithinStack(fx.images, W, H);
    expect(reg.failedSlices).toEqual([]);
    expect(reg.significance.significant).toBe(true);
    reg.shifts.forEach((s, i) => {
      expect(Math.abs(s.dy - (pos[0][0] - pos[i][0]))).toBeLessThan(0.2);
      expect(Math.abs(s.dx - (pos[0][1] - pos[i][1]))).toBeLessThan(0.2);
    });
  });

  it('a slice with nothing in common with the others is left out: its matches fail the null baseline, it takes its neighbours\' translation', () => {
    const images = fx.images.slice(0, 7);
    images[3] = shiftedImages(baseStructure(W, H, 99), W, H, [{ dy: 0, dx: 0, noise: 0.05, seed: 7 }]).images[0];
    const reg = registerWithinStack(images, W, H);
    expect(reg.failedSlices).toEqual([3]);
    expect(reg.matches.filter((m) => m.i === 3 || m.j === 3).every((m) => m.verdict === 'no_match')).toBe(true);
    expect(reg.confidence[3]).toBe('low');
    // Tied to its neighbours: halfway between them.
    expect(reg.shifts[3].dy).toBeCloseTo((reg.shifts[2].dy + reg.shifts[4].dy) / 2, 3);
    expect(reg.shifts[3].dx).toBeCloseTo((reg.shifts[2].dx + reg.shifts[4].dx) / 2, 3);
    for (const i of [1, 2, 4, 5, 6]) {
      expect(Math.abs(reg.shifts[i].dy - (pos[0][0] - pos[i][0]))).toBeLessThan(0.2);
      expect(Math.abs(reg.shifts[i].dx - (pos[0][1] - pos[i][1]))).toBeLessThan(0.2);
    }
  });

  it('a jump beyond maxShiftPx times the distance is refused as too far', () => {
    const images = fx.images.slice(0, 6);
    images[3] = shiftedImages(base, W, H, [{ dy: pos[3][0], dx: pos[3][1] + 20, noise: 0.05, seed: 2 }]).images[0];
    const reg = registerWithinStack(images, W, H, { maxShiftPx: 3 });
    expect(reg.failedSlices).toEqual([3]);
    expect(reg.matches.filter((m) => m.i === 3 || m.j === 3).map((m) => m.verdict)).toEqual(expect.arrayContaining(['too_far']));
    // The neighbour match as measured still shows the jump.
    expect(Math.abs(reg.pairs[3].dx + (pos[3][1] + 20 - pos[2][1]))).toBeLessThan(0.1);
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
    expect(reg.offsetSignificant).toBe(true);
    // One beam shift for the channel: every slice gets the same offset.
    expect(reg.perSliceUsed).toBe(false);
    expect(reg.perSlice.every((t) => t.dy === reg.perStack.dy && t.dx === reg.perStack.dx)).toBe(true);
  });

  it('two channels with no offset and independent noise: the offset is not significant and none is applied', () => {
    const fx = shiftedImages(base, W, H, [0, 1, 2, 3, 4, 5].map((i) => ({ dy: 0, dx: 0, noise: 0.3, seed: 500 + i })));
    const reg = registerAcrossChannels(fx.images.slice(0, 3), fx.images.slice(3).map((a) => a.map((v) => 0.3 + 0.5 * v)), W, H);
    expect(Math.hypot(reg.measuredOffset.dy, reg.measuredOffset.dx)).toBeLessThan(0.1);
    expect(reg.offsetSignificant).toBe(false);
    expect(reg.perSlice).toEqual([{ dy: 0, dx: 0 }, { dy: 0, dx: 0 }, { dy: 0, dx: 0 }]);
    expect(reg.message).toMatch(/^no significant offset/);
  });
});

describe('applyTranslations', () => {
  it('zero shifts crop nothing and return the input bit for bit; whole-pixel shifts copy raw values and crop exactly their range', () => {
    const w = 37, h = 29;
    const rnd = random(4);
    const slices = [0, 1, 2].map(() => Uint16Array.from({ length: w * h }, () => Math.floor(rnd() * 65536)));
    const still = applyTranslations(slices, w, h, [0, 1, 2].map(() => ({ dy: 0, dx: 0 })), { interpolation: 'linear' });
    expect(still.crop).toEqual({ x: 0, y: 0, width: w, height: h });
    still.slices.forEach((s, i) => expect(Buffer.from(s.buffer).equals(Buffer.from(slices[i].buffer))).toBe(true));
    const shifts = wholePixelShifts([{ dy: 0.2, dx: -0.4 }, { dy: 2.6, dx: -1.5 }, { dy: -1.49, dx: 3.5 }]);
    expect(shifts).toEqual([{ dy: 0, dx: 0 }, { dy: 3, dx: -1 }, { dy: -1, dx: 4 }]);
    const moved = applyTranslations(slices, w, h, shifts, { interpolation: 'linear' });
    // Rows max dy .. h - 1 + min dy, columns likewise: exactly the range of the shifts.
    expect(moved.crop).toEqual({ x: 4, y: 3, width: w - 5, height: h - 4 });
    moved.slices.forEach((s, i) => {
      for (let y = 0; y < moved.crop.height; y++)
        for (let x = 0; x < moved.crop.width; x++) {
          expect(s[y * moved.crop.width + x]).toBe(slices[i][(y + 3 - shifts[i].dy) * w + x + 4 - shifts[i].dx]);
        }
    });
  });

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
