// Known sub-pixel drift: a random walk over 0 to 10 px applied by python with exact
// Fourier shifts to one smooth structure, independent noise per slice
// (drift_stack.py). The fitted drift is within 0.2 px RMS of the truth, its stated
// errors cover the truth, and it beats the neighbour chain of the independent
// reference, skimage.registration.phase_cross_correlation. With whole pixels the
// applied shifts are the rounded path, the output holds raw input values and the
// crop is exactly their range.
import { describe, expect, it } from 'vitest';
import { applyTranslations, registerWithinStack, wholePixelShifts } from '../../src-main/geometry/register';
import { driftStack, randomWalk, truthOntoFirst } from './drift-fixtures';

const W = 128;
const H = 128;
const N = 40;
const rms = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);

describe('a stack with a known random-walk drift of up to 10 px', () => {
  const drift = randomWalk(N, 77, 10);
  const truth = truthOntoFirst(drift);
  const stack = driftStack({ n: N, width: W, height: H, noise: 0.5, seed: 78, drift, skimage: true });
  const reg = registerWithinStack(stack.slices, W, H);

  it('is recovered within 0.2 px RMS, found significant and applied', () => {
    const errors = reg.fitted.flatMap((t, i) => [t.dy - truth[i].dy, t.dx - truth[i].dx]);
    expect(rms(errors)).toBeLessThan(0.2);
    expect(reg.significance.significant).toBe(true);
    expect(reg.shifts).toEqual(reg.fitted);
    expect(reg.failedSlices).toEqual([]);
    // The stated errors are honest: the truth lies within them as a standard normal would.
    const z = reg.fitted.slice(1).flatMap((t, k) => [(t.dy - truth[k + 1].dy) / reg.sigmaPx[k + 1].dy, (t.dx - truth[k + 1].dx) / reg.sigmaPx[k + 1].dx]);
    expect(rms(z)).toBeLessThan(1.5);
    expect(Math.max(...z.map(Math.abs))).toBeLessThan(4);
  });

  it('beats the neighbour chain of skimage phase_cross_correlation on the same slices', () => {
    let y = 0, x = 0;
    const chain = stack.skimagePairs!.map(([dy, dx]) => ({ dy: (y += dy), dx: (x += dx) }));
    const chainErr = rms(chain.flatMap((t, i) => [t.dy - truth[i].dy, t.dx - truth[i].dx]));
    const ours = rms(reg.fitted.flatMap((t, i) => [t.dy - truth[i].dy, t.dx - truth[i].dx]));
    expect(ours).toBeLessThan(chainErr);
    // Each neighbour match agrees with skimage's within 0.35 px (noise sd half the structure's; skimage has no window).
    for (let i = 1; i < N; i++) {
      expect(Math.abs(reg.pairs[i].dy - stack.skimagePairs![i][0])).toBeLessThan(0.35);
      expect(Math.abs(reg.pairs[i].dx - stack.skimagePairs![i][1])).toBeLessThan(0.35);
    }
  });

  it('whole pixels: the rounded path, raw values, a crop of exactly the shifts\' range', () => {
    const shifts = wholePixelShifts(reg.shifts);
    shifts.forEach((s, i) => {
      expect(Math.abs(s.dy - truth[i].dy)).toBeLessThanOrEqual(0.5 + 0.3);
      expect(Math.abs(s.dx - truth[i].dx)).toBeLessThanOrEqual(0.5 + 0.3);
    });
    const out = applyTranslations(stack.slices, W, H, shifts, { interpolation: 'linear' });
    const dys = shifts.map((s) => s.dy), dxs = shifts.map((s) => s.dx);
    expect(out.crop).toEqual({
      x: Math.max(...dxs), y: Math.max(...dys),
      width: W - (Math.max(...dxs) - Math.min(...dxs)), height: H - (Math.max(...dys) - Math.min(...dys)),
    });
    for (const i of [0, 17, N - 1]) {
      for (const [cy, cx] of [[0, 0], [5, 9], [out.crop.height - 1, out.crop.width - 1]]) {
        const v = out.slices[i][cy * out.crop.width + cx];
        expect(v).toBe(stack.slices[i][(out.crop.y + cy - shifts[i].dy) * W + out.crop.x + cx - shifts[i].dx]);
      }
    }
  });
});
