import { describe, expect, it } from 'vitest';
import { phaseCorrelationShift } from '../../src-main/geometry/register';
import { baseStructure, MARGIN, shiftedImages, type ShiftCase } from './fixtures';

// Non-power-of-two frame: exercises the zero padding.
const W = 200;
const H = 150;
const base = baseStructure(W, H, 7);

// Moving image = base translated by (dy, dx): the translation that registers it onto
// the reference (case 0, untranslated) is (-dy, -dx).
const integerCases: [number, number][] = [[3, -5], [-7, 2], [0, 11], [-12, -9]];
const subpixelCases: [number, number][] = [[1.3, -2.7], [-0.45, 0.8], [4.25, 3.6], [-6.15, -0.35], [0.1, 0.05]];
const cases: ShiftCase[] = [[0, 0], ...integerCases, ...subpixelCases].map(([dy, dx], i) => ({ dy, dx, noise: 0.05, seed: 100 + i }));
const fx = shiftedImages(base, W, H, cases);
const ref = fx.images[0];

describe('phaseCorrelationShift', () => {
  it('recovers integer shifts exactly (noise, padded frame)', () => {
    integerCases.forEach(([dy, dx], k) => {
      const e = phaseCorrelationShift(ref, fx.images[1 + k], W, H, { upsample: 1 });
      expect([e.dy, e.dx]).toEqual([0 - dy + 0, 0 - dx + 0]);
      const sub = phaseCorrelationShift(ref, fx.images[1 + k], W, H);
      expect(Math.abs(sub.dy + dy)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Math.abs(sub.dx + dx)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(sub.peak).toBeGreaterThan(0.5);
    });
  });

  it('recovers sub-pixel shifts within 0.1 px and agrees with skimage within 0.1 px', () => {
    subpixelCases.forEach(([dy, dx], k) => {
      const i = 1 + integerCases.length + k;
      const e = phaseCorrelationShift(ref, fx.images[i], W, H);
      expect(Math.abs(e.dy + dy), `dy for ${dy}`).toBeLessThan(0.1);
      expect(Math.abs(e.dx + dx), `dx for ${dx}`).toBeLessThan(0.1);
      const [sy, sx] = fx.skimage[i]!.plain;
      expect(Math.abs(e.dy - sy)).toBeLessThanOrEqual(0.1 + 1e-9);
      expect(Math.abs(e.dx - sx)).toBeLessThanOrEqual(0.1 + 1e-9);
      // Phase normalisation (Hann) is coarser on these band-limited images, still within 0.2 px.
      const p = phaseCorrelationShift(ref, fx.images[i], W, H, { normalization: 'phase' });
      expect(Math.abs(p.dy + dy)).toBeLessThan(0.2);
      expect(Math.abs(p.dx + dx)).toBeLessThan(0.2);
    });
  });

  it('the same pairs agree with skimage on integer shifts too', () => {
    integerCases.forEach((_, k) => {
      const e = phaseCorrelationShift(ref, fx.images[1 + k], W, H);
      const [sy, sx] = fx.skimage[1 + k]!.plain;
      expect(Math.abs(e.dy - sy)).toBeLessThanOrEqual(0.1 + 1e-9);
      expect(Math.abs(e.dx - sx)).toBeLessThanOrEqual(0.1 + 1e-9);
    });
  });

  it('identical images: zero shift, peak 1', () => {
    const e = phaseCorrelationShift(ref, ref, W, H);
    expect(e.dy).toBeCloseTo(0, 9);
    expect(e.dx).toBeCloseTo(0, 9);
    expect(e.peak).toBeCloseTo(1, 6);
  });

  it('a fiducial region drives the estimate', () => {
    // The frame content moves by (2, -4) but a fiducial block moves by (-3, 5), as when
    // shine-through differs between kV and only the fiducial is trustworthy.
    const bw = W + 2 * MARGIN;
    const fid = { x: 120, y: 40, width: 64, height: 64 };
    const at = (y: number, x: number) => base[(y + MARGIN) * bw + x + MARGIN];
    const reference = new Float32Array(W * H);
    const moving = new Float32Array(W * H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        reference[y * W + x] = at(y, x);
        const inFid = y >= fid.y - 8 && y < fid.y + fid.height + 8 && x >= fid.x - 8 && x < fid.x + fid.width + 8;
        moving[y * W + x] = inFid ? at(y + 3, x - 5) : at(y - 2, x + 4);
      }
    }
    const whole = phaseCorrelationShift(reference, moving, W, H, { upsample: 1 });
    expect([whole.dy, whole.dx]).toEqual([-2, 4]);
    const inRegion = phaseCorrelationShift(reference, moving, W, H, { region: fid, upsample: 1 });
    expect([inRegion.dy, inRegion.dx]).toEqual([3, -5]);
  });

  it('rejects a region outside the frame and a wrong length', () => {
    expect(() => phaseCorrelationShift(ref, ref, W, H, { region: { x: 190, y: 0, width: 20, height: 20 } })).toThrow(/inside/);
    expect(() => phaseCorrelationShift(ref, ref.subarray(1), W, H)).toThrow(/pixels/);
  });
});
