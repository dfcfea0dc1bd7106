// Registration does no harm on a stack that did not drift: 63 slices of 128 x 128
// px of one random smooth structure under strong noise (noise sd = the structure's),
// made by python (drift_stack.py). Summing neighbour matches, as registration did
// before, walks away by several pixels; the fitted drift stays below 1 px, is not
// significant, and nothing is applied: the output is the input, bit for bit, and
// nothing is cropped. A structure that evolves from slice to slice (inclined
// features seem to travel) makes the quarters of the frame disagree: no drift either.
import { describe, expect, it } from 'vitest';
import { applyTranslations, imageSpectrum, registerWithinStack, shiftBetweenSpectra } from '../../src-main/geometry/register';
import { driftStack } from './drift-fixtures';

const W = 128;
const H = 128;
const N = 63;
const size = (t: { dy: number; dx: number }) => Math.hypot(t.dy, t.dx);

describe('a drift-free stack under strong noise', () => {
  const { slices } = driftStack({ n: N, width: W, height: H, noise: 1, seed: 4 });
  const reg = registerWithinStack(slices, W, H);

  it('the neighbour chain alone would invent drift; the fitted path stays below 1 px everywhere', () => {
    let y = 0, x = 0, chainMax = 0;
    let previous = imageSpectrum(slices[0], W, H);
    for (let i = 1; i < N; i++) {
      const current = imageSpectrum(slices[i], W, H);
      const e = shiftBetweenSpectra(previous, current);
      y += e.dy;
      x += e.dx;
      chainMax = Math.max(chainMax, Math.hypot(y, x));
      previous = current;
    }
    const fittedMax = Math.max(...reg.fitted.map(size));
    expect(chainMax).toBeGreaterThan(1.5);
    expect(fittedMax).toBeLessThan(1);
    expect(fittedMax).toBeLessThan(chainMax / 2);
    expect(reg.failedSlices).toEqual([]);
  });

  it('is not significant, says so, and applies exactly zero', () => {
    expect(reg.significance.significant).toBe(false);
    expect(reg.significance.maxSigmas).toBeLessThan(reg.significance.thresholdSigmas);
    expect(reg.significance.message).toMatch(/^no significant drift found: max \|d\| .* sigma < .* sigma .*; slices kept as they are$/);
    expect(reg.shifts.every((t) => t.dy === 0 && t.dx === 0)).toBe(true);
    // The errors stated cover the fitted path (the truth is zero everywhere).
    expect(Math.max(...reg.fitted.slice(1).map((t, k) => Math.hypot(t.dy / reg.sigmaPx[k + 1].dy, t.dx / reg.sigmaPx[k + 1].dx)))).toBeLessThan(4);
  });

  it('the output is the input bit for bit, nothing cropped', () => {
    const grey = slices.map((s) => Uint16Array.from(s, (v) => Math.max(0, Math.min(65535, Math.round(10000 + 2000 * v)))));
    const out = applyTranslations(grey, W, H, reg.shifts, { interpolation: 'linear' });
    expect(out.crop).toEqual({ x: 0, y: 0, width: W, height: H });
    out.slices.forEach((s, i) => expect(Buffer.from(s.buffer).equals(Buffer.from(grey[i].buffer))).toBe(true));
  });
});

describe('a drift-free stack whose structure evolves along z', () => {
  it('the quarters of the frame disagree beyond their errors; the apparent motion is not taken for drift', () => {
    const { slices } = driftStack({ n: 40, width: 128, height: 128, noise: 0.5, seed: 5, zSigma: 3 });
    const reg = registerWithinStack(slices, 128, 128);
    expect(reg.rigidity.tiles).toBe(4);
    expect(reg.rigidity.factor).toBeGreaterThan(1.5);
    expect(reg.significance.significant).toBe(false);
    expect(reg.shifts.every((t) => t.dy === 0 && t.dx === 0)).toBe(true);
  });
});
